"""What must travel with records that leave the agency: the 42 CFR Part 2 redisclosure notice.

Visits marked `part2` (caseload visit add --part2) hold substance-use disorder treatment information
received under 42 CFR Part 2. Each disclosure of such a record made with the patient's consent must
carry one of the two written statements of 42 CFR 2.32(a) (text of the 2024 final rule, 89 FR 12472),
and a copy of the consent or a clear explanation of its scope (2.32(b)). Reports and exports that
include a Part 2 visit print `part2_notice()` with it. Stdlib only.
"""

PART2_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality rules "
    "(42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony "
    "that describes the information contained in this record, in any civil, criminal, administrative, "
    "or legislative proceedings by any Federal, State, or local authority, against the patient, unless "
    "authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized "
    "by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from "
    "making any other use or disclosure of this record unless at least one of the following applies:\n"
    "(i) Further use or disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or as otherwise permitted by 42 CFR part 2.\n"
    "(ii) You are a covered entity or business associate and have received the record for treatment, "
    "payment, or health care operations, or\n"
    "(iii) You have received the record from a covered entity or business associate as permitted by "
    "45 CFR part 164, subparts A and E.\n"
    "A general authorization for the release of medical or other information is NOT sufficient to meet "
    "the required elements of written consent to further use or redisclose the record (see 42 CFR 2.31)."
)
PART2_SHORT_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."


def part2_notice(short: bool = False) -> str:
    """The 42 CFR 2.32(a) statement to print with any disclosed Part 2 record (Statement 1, or 2 if short).

    Statement 2 suits space-limited places (a page footer, a spreadsheet header); a full document
    should carry Statement 1.
    """
    return PART2_SHORT_NOTICE if short else PART2_NOTICE


def holds_part2(visits: list[dict]) -> bool:
    """Whether any of these visits is a Part 2 record, so the output needs the notice."""
    return any(visit.get("part2") for visit in visits)
