"""Turning what a user typed into clean values: dates, months, names and free text. Stdlib only.

Each parser raises UsageProblem (exit 2) with a message fit for `Error: …`.
"""

import datetime as dt
import re
import unicodedata

from caseload.errors import UsageProblem

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# Characters that must never reach a stored name: C0/C1 controls, DEL, and bidi overrides/isolates.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
MAX_TEXT_CHARS = 100_000
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS  # UTF-8 takes at most 4 bytes a character
# Line breaks other than \n that a pasted note may carry (a lone \r could also overwrite a terminal line).
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})


def parse_date(value: str, what: str = "date") -> dt.date:
    """ISO `YYYY-MM-DD`, or `today` / `yesterday` relative to the clock."""
    from caseload.clock import today

    text = value.strip().lower()
    if text == "today":
        return today()
    if text == "yesterday":
        return today() - dt.timedelta(days=1)
    if not _ISO_DATE.fullmatch(text):
        raise UsageProblem(f"{what} must be YYYY-MM-DD, 'today' or 'yesterday', not {value!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"{what} {value!r} is not a real date") from None


def parse_month(value: str, what: str = "month"):
    """`YYYY-MM`, as a rules Month."""
    from caseload.rules.months import Month

    try:
        return Month.parse(value)
    except ValueError:
        raise UsageProblem(f"{what} must be YYYY-MM, not {value!r}") from None


def parse_time(value: str) -> str:
    """A 24-hour `HH:MM` clock time, kept as text."""
    if not _TIME.fullmatch(value.strip()):
        raise UsageProblem(f"time must be HH:MM (24-hour), not {value!r}")
    return value.strip()


def clean_name(value: str, what: str = "name") -> str:
    """A one-line name: NFC-normalised, no control or bidi-override characters, and every run of
    white space (no-break space, line separator …) one plain space, so look-alike names are equal."""
    text = unicodedata.normalize("NFC", value).strip()
    refuse_controls(text, what, line_breaks=False)
    text = " ".join(text.split())
    if not text:
        raise UsageProblem(f"{what} must not be empty")
    if len(text) > 200:
        raise UsageProblem(f"{what} is longer than 200 characters")
    return text


def name_key(name: str) -> str:
    """The key two names clash on: NFC then case-folded, as SPEC section 3 says."""
    return unicodedata.normalize("NFC", name).casefold()


def clean_text(value: str | None, what: str = "text") -> str | None:
    """Free text (notes): NFC, line breaks and tabs kept, other controls and bidi overrides refused."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").translate(_LINE_BREAKS))
    if len(text) > MAX_TEXT_CHARS:
        raise UsageProblem(f"{what} is longer than {MAX_TEXT_CHARS:,} characters")
    refuse_controls(text, what, line_breaks=True)
    return text.strip() or None


def refuse_controls(text: str, what: str, *, line_breaks: bool) -> None:
    """The one check of text from outside (the command line, a note file, an imported export): no C0/C1
    control, surrogate or bidi override; a name (`line_breaks=False`) no format character either,
    free text (`line_breaks=True`) keeps its line breaks and tabs."""
    refused = ("Cc", "Cs") if line_breaks else ("Cc", "Cf", "Cs")
    for char in text:
        if line_breaks and char in "\n\t":
            continue
        if char in _BIDI_CONTROLS or unicodedata.category(char) in refused:
            raise UsageProblem(f"{what} contains a control character ({ascii(char)})")


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """One of a fixed set of words (case-insensitive, `-` accepted for `_`)."""
    word = value.strip().lower().replace("-", "_")
    if word not in allowed:
        raise UsageProblem(f"{what} must be one of {', '.join(allowed)}; not {value!r}")
    return word
