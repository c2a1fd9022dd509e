"""The one error hierarchy. Raised anywhere, turned into `Error: …` and an exit code in cli.main."""


class CaseloadError(Exception):
    """A problem the user can act on; never shown with a traceback."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageProblem(CaseloadError):
    """A malformed value or option combination (exit 2, like click's usage errors)."""

    exit_code = 2


class NotFound(CaseloadError):
    """A case, member, visit or other record that does not exist."""


class Duplicate(CaseloadError):
    """A record that would clash with one already stored."""


class RuleViolation(CaseloadError):
    """A request that breaks a rule of the domain (a future visit, overlapping placements…)."""


class IntegrityProblem(CaseloadError):
    """The database itself is wrong: corrupt, foreign, too new, or unwritable."""
