"""Where things are and who is acting: the database location, the acting worker. Stdlib only."""

import getpass
import os
from pathlib import Path

APP_NAME = "caseload"


def default_db_path() -> Path:
    """`caseload.db` in the user data directory (platformdirs), as SPEC section 2 says."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "caseload.db"


def database_target(option: str | None) -> str:
    """The database to open: `--db`, else $CASELOAD_DB, else the default path."""
    if option is not None and not option.strip():
        from caseload.errors import UsageProblem

        raise UsageProblem("--db is empty: give a file path or a postgresql:// URL")
    chosen = option or os.environ.get("CASELOAD_DB")
    return chosen if chosen else str(default_db_path())


def acting_worker() -> str:
    """Who is acting, for the audit log: $CASELOAD_WORKER, else the OS user name."""
    worker = os.environ.get("CASELOAD_WORKER", "").strip()
    if worker:
        return worker
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def default_worker_filter() -> str | None:
    """$CASELOAD_WORKER, whose team the list commands show by default (on PostgreSQL the login's worker
    comes first: see caseload.commands.default_worker)."""
    return os.environ.get("CASELOAD_WORKER", "").strip() or None


def shipped_data(name: str) -> Path:
    """A shipped default file: `caseload/data/` in a wheel install, else the repository's `data/`."""
    import caseload

    package = Path(caseload.__file__).parent
    installed = package / "data" / name
    return installed if installed.exists() else package.parent / "data" / name
