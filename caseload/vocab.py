"""The fixed vocabularies of SPEC section 3, in one place for commands, store and help texts."""

PROGRAMS = ("foster_care", "in_home", "family_preservation")
RISKS = ("low", "moderate", "high", "very_high")
ROLES = ("child", "parent", "caregiver", "sibling", "relative", "other")
SETTINGS = ("foster_home", "kinship", "group_home", "residential", "pre_adoptive", "other")
VISIT_KINDS = ("face_to_face", "video", "phone", "collateral", "attempted", "family_time")
SUPERVISION = ("supervised", "monitored", "unsupervised")  # family time (parent-child visits)
LOCATIONS = ("home", "office", "school", "court", "community", "other")
GOAL_DOMAINS = ("safety", "permanency", "well_being")
GOAL_STATUSES = (
    "not_started",
    "in_progress",
    "achieved",
    "partially_achieved",
    "not_achieved",
    "discontinued",
)
CLOSED_GOAL_STATUSES = ("achieved", "not_achieved", "discontinued")
SERVICE_STATUSES = ("referred", "active", "completed", "declined", "discontinued")
HEARING_TYPES = ("adjudication", "disposition", "review", "permanency", "tpr", "other")
COUNTING_KIND = "face_to_face"
INSTRUMENTS = ("sdm_risk", "cans")


def counted(number: int, noun: str) -> str:
    """`1 day`, `2 days`: a count with its noun (regular plurals)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
