"""caseload: a command-line caseload toolkit for child-welfare caseworkers and supervisors."""

__version__ = "0.1.0"
