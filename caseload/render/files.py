"""Writing output files that hold case data: created 0600, whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from caseload.errors import CaseloadError


def write_private(path: Path, data: str | bytes, force: bool = True) -> None:
    """Write `data` to `path` readable by its owner only (whatever the umask), via a temporary file
    in the same directory renamed into place, so a failure never leaves half a file.

    `force` (the commands' --force) is accepted for the no-clobber rule; it changes nothing yet."""
    path = Path(path).expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CaseloadError(f"the directory {directory} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise CaseloadError(f"cannot write in {directory}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CaseloadError(f"cannot write {path}: {exc.strerror}") from None
