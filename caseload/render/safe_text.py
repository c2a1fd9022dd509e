"""Text from the database made safe to show: it can never drive the reader's terminal or program.

Stored text was checked on the way in (caseload.parsing.refuse_controls), but a database can be
older, imported or edited by hand: on the way out every C0/C1 control character (escape sequences,
bell, carriage return, backspace), surrogate and bidi override or isolate is replaced by U+FFFD,
visibly. Line breaks and tabs stay; whoever lays the text out decides what to do with them.
Rich markup and emoji codes are a second matter: tables hand data to rich as `Text`, never as markup.
Stdlib only.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_BIDI_CONTROLS}]")


def for_terminal(value: str) -> str:
    """`value` with every control, surrogate and bidi character replaced by U+FFFD (\\n and \\t kept)."""
    if value.isprintable() or not _UNSAFE.search(value):
        return value
    return _UNSAFE.sub(REPLACEMENT, value)


def one_line(value: str) -> str:
    """`for_terminal`, with line breaks and tabs as spaces too (a calendar title, a table cell)."""
    return " ".join(for_terminal(value).replace("\t", " ").splitlines())
