"""The one place that reads the date: `today()` honours $CASELOAD_TODAY so tests can pin it."""

import datetime as dt
import os


def today() -> dt.date:
    """The local date, or $CASELOAD_TODAY (ISO) when set."""
    pinned = os.environ.get("CASELOAD_TODAY")
    if pinned:
        try:
            return dt.date.fromisoformat(pinned.strip())
        except ValueError:
            from caseload.errors import UsageProblem

            raise UsageProblem(f"CASELOAD_TODAY is not an ISO date (YYYY-MM-DD): {pinned!r}") from None
    return dt.date.today()


def now() -> dt.datetime:
    """The current moment in UTC, for recorded-at stamps (timestamps are stored timezone-aware)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
