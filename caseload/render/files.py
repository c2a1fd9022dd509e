"""Writing output files that hold case data: created 0600, whole or not at all, never over what
should not be replaced.

`-o PATH` is checked before anything is read: an existing file is replaced only with `--force`; the
database itself (and its `-wal`, `-shm`, `-journal`) never; anything that is not a regular file (a
directory, a device such as /dev/null or /dev/stdout, a FIFO) never: leave out `-o` to write to stdout.
The data goes to a temporary file in the target directory first (`staged`); the caller logs the
disclosure, and only then is the file put in place, so a failed write leaves no file and no audit
row, and a failed audit leaves no file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from caseload.errors import CaseloadError, UsageProblem

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")
# The database files of this run (registered when a command opens its database): never an output.
_protected: set[Path] = set()


def protect(database: Path) -> None:
    _protected.add(Path(database).expanduser())


# Extensions a reader's program goes by, per output format: `-o` must agree with `--format`.
KNOWN_SUFFIXES = {
    ".json": "json",
    ".zip": "csv",
    ".csv": "csv file",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".doc": "doc",
    ".pdf": "pdf",
    ".ics": "ics",
    ".html": "html",
    ".txt": "txt",
}


def check_suffix(path: Path | None, fmt: str, accepted: tuple[str, ...]) -> None:
    """Refuse `-o NAME.EXT` when EXT is a known kind of file that `fmt` does not write (a zip named
    `.csv`, Markdown named `.docx`); a name with no extension, or an unknown one, is left alone."""
    if path is None:
        return
    suffix = path.suffix.lower()
    if suffix in KNOWN_SUFFIXES and suffix not in accepted:
        raise UsageProblem(
            f"--format {fmt} writes a {accepted[0]} file, not {suffix}: "
            f"name it {path.stem}{accepted[0]} or choose the format that matches"
        )


def check_target(path: Path, *, force: bool, database: Path | None = None) -> Path:
    """The real file `-o PATH` would write (symbolic links followed), refused when it must not be
    written: the database or its companions, anything but a regular file, an existing file without
    `force`. Raises UsageProblem naming the way out."""
    given = Path(path).expanduser()
    absolute = Path(os.path.abspath(given))
    if absolute.parts[:2] in (("/", "dev"), ("/", "proc")):
        raise UsageProblem(f"{path} is a device, not a file: leave out -o to write to stdout")
    target = Path(os.path.realpath(absolute))
    databases = _protected | ({Path(database).expanduser()} if database is not None else set())
    if any(_is_database(target, known) for known in databases):
        raise UsageProblem(f"{path} is the caseload database (or one of its files): choose another name")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise CaseloadError(f"cannot write {path}: {exc.strerror}") from None
    if status is not None:
        if not stat.S_ISREG(status.st_mode):
            raise UsageProblem(f"{path} is {_kind(status.st_mode)}, not a regular file: give a file name")
        if not force:
            raise UsageProblem(f"{path} already exists; give --force to replace it")
    directory = target.parent
    if not directory.is_dir():
        raise CaseloadError(f"the directory {given.parent} does not exist")
    return target


def _is_database(target: Path, database: Path) -> bool:
    database = Path(os.path.realpath(os.path.abspath(database)))
    for suffix in DATABASE_COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if target == companion:
            return True
        try:
            if target.exists() and companion.exists() and os.path.samefile(target, companion):
                return True
        except OSError:
            continue
    return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextmanager
def staged(
    path: Path, data: str | bytes, *, force: bool = False, database: Path | None = None
) -> Iterator[Callable[[], None]]:
    """Write `data` to a private temporary file beside `path` and yield `publish()`, which puts it
    in place; if `publish` is not called (the audit failed), the temporary file is removed."""
    target = check_target(path, force=force, database=database)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CaseloadError(f"cannot write in {Path(path).expanduser().parent}: {exc.strerror}") from None
    try:
        try:
            os.fchmod(fd, 0o600)
            _fill(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CaseloadError(f"cannot write {path}: {exc.strerror}; nothing was saved") from None

    def publish() -> None:
        _put_in_place(Path(temporary), target, path, force)

    try:
        yield publish
    finally:
        Path(temporary).unlink(missing_ok=True)


def _fill(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _put_in_place(temporary: Path, target: Path, given: Path, force: bool) -> None:
    """Rename the finished file into place; without `force`, a hard link that fails if a file of
    that name appeared meanwhile, so nothing is ever replaced unasked."""
    try:
        if force:
            os.replace(temporary, target)
            return
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise UsageProblem(f"{given} already exists; give --force to replace it") from None
        except OSError:  # a file system without hard links
            if target.exists():
                raise UsageProblem(f"{given} already exists; give --force to replace it") from None
            os.replace(temporary, target)
    except OSError as exc:
        raise CaseloadError(f"cannot write {given}: {exc.strerror}") from None


def write_private(path: Path, data: str | bytes, force: bool = False, database: Path | None = None) -> None:
    """Write `data` to `path` readable by its owner only (whatever the umask), via a temporary file
    in the same directory renamed into place, so a failure never leaves half a file."""
    with staged(path, data, force=force, database=database) as publish:
        publish()


def database_file(db) -> Path | None:
    """The file an output must never replace: the SQLite database (None for a server database)."""
    return db.path if db.is_sqlite else None
