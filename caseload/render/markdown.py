"""Markdown escaping by place, so text users typed can never change a report's structure.

A value lands in one of three places: a table cell (`cell`), a block of paragraphs of its own
(`para`) or the middle of a line the template writes (`inline`). Each filter makes every character
of the value literal there: no heading, list, quote, code block, table row, link or HTML can come
out of it, and the raw Markdown stays readable for the worker who completes the draft. Template
syntax in data (`{{ 7*7 }}`) needs nothing here: data is only ever passed to templates as values,
never compiled.

Standard library only; the filters return `MarkdownText`, which the template environment leaves
alone, while any plain string a template prints unfiltered is escaped inline.
"""

from __future__ import annotations

import datetime as dt
import re

from caseload.render.safe_text import for_terminal

# Inline syntax: escapes, code spans, emphasis, strikethrough, links and images, HTML and autolinks,
# table pipes. `#`, `>`, `+`, `-`, `=` and `1.` only matter at the start of a line (below).
_INLINE_SPECIALS = re.compile(r"([\\`*_~\[\]<|])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Line starts that could open a heading, quote, list item, thematic break or setext underline.
_BLOCK_START = re.compile(r"^(?:#+(?=\s|$)|>|[-+](?=\s|$)|[-=](?=[-=\s]*$))")
_ORDERED_ITEM = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A run of `#` ending a heading line would be read as its closing sequence and dropped.
_CLOSING_HASHES = re.compile(r"(?<!\\)(#+)$")


class MarkdownText(str):
    """Text already escaped for its place in a Markdown document."""


def _escape_inline(text: str) -> str:
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    return _ENTITY.sub(r"\\&", text)


def _escape_line(line: str) -> str:
    """One line of user text, literal even at the start of a Markdown line."""
    line = _escape_inline(line.strip())
    line = _BLOCK_START.sub(lambda m: "\\" + m.group(0), line)
    return _ORDERED_ITEM.sub(r"\1\\\2", line)


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return for_terminal(text)


def _paragraphs(value: object) -> list[list[str]]:
    """The non-blank lines of the value, grouped into paragraphs at blank lines."""
    paragraphs: list[list[str]] = [[]]
    for line in _text(value).split("\n"):
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def inline(value: object) -> MarkdownText:
    """Text for the middle of a line (a heading, a list item, a sentence): one line, all literal."""
    line = _escape_line(" ".join(_text(value).split()))
    return MarkdownText(_CLOSING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), line))


def cell(value: object) -> MarkdownText:
    """Text for a table cell: `|` escaped and line breaks as `<br>`, so the row stays one row."""
    return MarkdownText(
        "<br><br>".join("<br>".join(_escape_line(line) for line in p) for p in _paragraphs(value))
    )


def para(value: object) -> MarkdownText:
    """Text as paragraphs of its own; the user's line breaks are kept as hard breaks (`\\`)."""
    return MarkdownText(
        "\n\n".join("\\\n".join(_escape_line(line) for line in p) for p in _paragraphs(value))
    )


def date(value: dt.date | dt.datetime | None, fmt: str | None = None) -> MarkdownText:
    """A date as ISO `2026-04-01` (or by a strftime `fmt`); a timestamp with its time, in UTC."""
    if value is None:
        return MarkdownText("")
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return MarkdownText(moment.strftime(fmt or "%Y-%m-%d %H:%M UTC"))
    return MarkdownText(value.strftime(fmt) if fmt else value.isoformat())


def percent(value: float | None) -> MarkdownText:
    """A percentage as the measure reports it, to two places: `66.67%`."""
    return MarkdownText("" if value is None else f"{value:.2f}%")


_LABELS = {"face_to_face": "face-to-face", "in_home": "in-home", "well_being": "well-being", "tpr": "TPR"}


def label(value: object) -> MarkdownText:
    """A vocabulary word as people write it: `foster_home` → `foster home`."""
    if value is None:
        return MarkdownText("")
    word = str(value)
    return inline(_LABELS.get(word, word.replace("_", " ")))


def finalize(value: object) -> object:
    """What a template prints: escaped text stays, anything else is escaped inline.

    The spaces around a plain string are kept, so a template's own `", "` still separates.
    """
    if isinstance(value, MarkdownText):
        return value
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = _text(value)
    core = inline(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if core and text[-1:].isspace() else ""
    return MarkdownText(lead + core + trail)
