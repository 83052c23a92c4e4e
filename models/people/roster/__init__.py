"""Importing the school's roster files (DESIGN.md "Roster files"), all or nothing.

How the files are read (models/imports, like every CSV import):
- UTF-8, with or without Excel's BOM; `\\r\\n` line ends; cells are stripped; header names
  match in any case, with spaces or hyphens for underscores (`Staff ID` is `staff_id`); extra
  columns are ignored. Every documented column must be in the header, so a misspelt header
  is reported instead of silently dropping a column. Rows whose cells are all blank are skipped.
  Every problem in the three files is reported with its file, line and column (ImportInvalid).
- Cells that may be blank: staff `email` and `classes`; contacts `relationship`, `email`,
  `phone` and `language` (blank means the school's default language).
- `year_group`: `R`, `Reception` or `YR`, or 1 to 6 also written `Y3` or `Year 3`, any case.
- `receives_reports`: yes/no, y/n or true/false in any case; it may not be blank, because
  guessing either way could send reports to the wrong person.
- `language`: a well-formed IETF tag (`pl`, `pl-PL`, `ur_PK`); its primary subtag is stored in
  lower case even when the bot has no translation for it (the bot then falls back).
- Classes are the ones listed in staff.csv `classes` (split on `;`); a pupil's `class` must be
  one of them. Class names match in any case and keep staff.csv's spelling.
- A contact's name, email, phone and language must agree on all of its rows.

How it is applied: by external id within the school, in one transaction. A person missing from
the new files is marked as left (never deleted) and counts as "left"; one who reappears is
un-left and counts as "updated". A staff member whose classes changed counts as "updated".
Classes are never deleted. Guardian links missing from the file are deleted. Telegram bindings
and a link's `separate` flag are never touched by an import.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

from models.calendar.school import School
from models.people.roster.apply import apply_roster
from models.people.roster.report import RosterReport
from models.people.roster.validate import read_roster

__all__ = ["RosterReport", "import_roster"]

logger = logging.getLogger(__name__)


async def import_roster(
    school: School, *, staff: Path, pupils: Path, contacts: Path, now: datetime
) -> RosterReport:
    """Check all three files, then apply them together; ImportInvalid changes nothing."""
    # Reading and checking is blocking file and CPU work; keep the bot's event loop free.
    roster = await asyncio.to_thread(read_roster, staff=staff, pupils=pupils, contacts=contacts)
    report = await apply_roster(school, roster, now=now)
    logger.info("Roster imported for school %s: %s", school.id, report.as_details())
    return report
