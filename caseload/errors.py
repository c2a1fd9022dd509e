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


class RowProblems(CaseloadError):
    """Rows of an input file that cannot be taken: each row's problem is listed (`line 7: …`) before
    the one `Error:` line."""

    MAX_SHOWN = 20

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} row(s) have problems; nothing was imported")
        self.problems = problems

    @property
    def details(self) -> list[str]:
        shown = self.problems[: self.MAX_SHOWN]
        hidden = len(self.problems) - len(shown)
        return shown + ([f"… and {hidden} more"] if hidden else [])
