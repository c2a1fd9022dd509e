"""Find and read the visit and deadline standards (`visit_standards.toml`): file I/O, so not in
rules/ (which are pure); the checked model is `rules.standards_model.Standards`.

An agency may point `$CASELOAD_STANDARDS` at its own copy; otherwise the shipped default is used:
inside the package when installed from a wheel (`caseload/data/`), else in the repository's `data/`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from caseload.errors import CaseloadError
from caseload.rules.standards_model import Standards
from caseload.settings import shipped_data

STANDARDS_ENV = "CASELOAD_STANDARDS"
_FILE_NAME = "visit_standards.toml"


def default_standards_path() -> Path:
    """The shipped standards: `caseload/data/` in a wheel install, else `<repo>/data/`."""
    return shipped_data(_FILE_NAME)


def load_standards(path: Path | None = None) -> Standards:
    """Read and check a standards file: `path`, else `$CASELOAD_STANDARDS`, else the shipped default.

    Any problem is one CaseloadError line naming the file and, for a bad value, the key
    (`…: in_home.visit_interval_days.high: expected a whole number, got 14.5`).
    """
    origin = ""
    if path is None and os.environ.get(STANDARDS_ENV):
        path, origin = Path(os.environ[STANDARDS_ENV]).expanduser(), f" (from ${STANDARDS_ENV})"
    path = path or default_standards_path()
    try:
        with path.open("rb") as file:
            raw = tomllib.load(file)
    except FileNotFoundError:
        raise CaseloadError(f"standards file not found: {path}{origin}") from None
    except OSError as error:
        raise CaseloadError(f"cannot read standards file {path}{origin}: {error.strerror}") from None
    # ValueError: also tomllib's own limits (an integer of over 4,300 digits); RecursionError: arrays
    # nested thousands deep. Both are a broken file, not a crash.
    except (ValueError, RecursionError) as error:
        raise CaseloadError(f"standards file {path}{origin} is not valid TOML: {error}") from None
    try:
        return Standards.from_toml(raw)
    except ValueError as problem:
        raise CaseloadError(f"standards file {path}{origin}: {problem}") from None
