"""`--redact`: children's names reduced to initials everywhere, dates of birth left out.

A pure function over a report context, so what `--json` prints and what the template shows are
redacted alike. Names are replaced in every text of the report, narratives included: the full name
and the first name, as whole words, in any letter case ("MAYA", "Maya's" → "M.R.", "M.R.'s").
Over-redaction is the safe side: a child named "Hope" also turns "we hope" into initials.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

ContextT = TypeVar("ContextT", bound=BaseModel)


def initials(name: str) -> str:
    """`Maya Rivera` → `M.R.`; `Jean-Luc Okafor` → `J.O.`."""
    return "".join(f"{word[0].upper()}." for word in name.split() if word)


def child_initials(names: list[str]) -> dict[str, str]:
    """Each child's replacement: initials, numbered when two children share them (`M.R.`, `M.R. 2`)."""
    replacements: dict[str, str] = {}
    used: dict[str, int] = {}
    for name in names:
        short = initials(name)
        used[short] = used.get(short, 0) + 1
        replacements[name] = short if used[short] == 1 else f"{short} {used[short]}"
    return replacements


def name_redactor(children: list[str]) -> Callable[[str], str]:
    """A function replacing these children's full and first names by their initials in a text."""
    pattern, replacement_of = _name_pattern(child_initials(children))
    if pattern is None:
        return str
    return lambda text: pattern.sub(lambda m: replacement_of[m.group(0).lower()], text)


def redact(context: ContextT) -> ContextT:
    """A copy of the context with its children's names as initials and no dates of birth."""
    children = [child.name for child in getattr(context, "children", [])]
    pattern, replacement_of = _name_pattern(child_initials(children))

    def walk(value):
        if isinstance(value, str):
            return pattern.sub(lambda m: replacement_of[m.group(0).lower()], value) if pattern else value
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: None if key == "born_on" else walk(item) for key, item in value.items()}
        return value

    data = walk(context.model_dump())
    data["redacted"] = True
    return type(context).model_validate(data)


def _name_pattern(replacements: dict[str, str]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One word-bounded, case-insensitive pattern for every full and first name, longest first.

    A first name shared by two children cannot say which child is meant: it becomes both initials
    (`M.R./M.L.`).
    """
    replacement_of: dict[str, str] = {}
    first_names: dict[str, list[str]] = {}
    for name, short in replacements.items():
        replacement_of[name.lower()] = short
        first = name.split()[0].lower() if name.split() else ""
        # "Ana-María" is also called "Ana" or "María" in notes: each part stands for the child too
        for part in {first, *first.split("-")} if "-" in first else {first}:
            first_names.setdefault(part, []).append(short)
    for first, shorts in first_names.items():
        if first and first not in replacement_of:
            replacement_of[first] = shorts[0] if len(shorts) == 1 else "/".join(shorts)
    if not replacement_of:
        return None, replacement_of
    words = sorted(replacement_of, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return pattern, replacement_of
