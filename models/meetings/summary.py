"""What a family is told after a meeting: notes, the child's voice, the targets reviewed and set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.common.enums import Area, TargetStatus
from models.meetings.sheet import SheetTarget
from models.meetings.tables import MeetingRecord
from models.people.access import Actor
from models.people.pupils import visible_pupil
from models.targets.tables import Target


@dataclass(frozen=True)
class MeetingSummary:
    """A held meeting as its summary shows it; never the staff-only notes."""

    record_id: int
    first_name: str
    held_at: datetime
    notes: str
    child_voice: str
    reviewed: tuple[SheetTarget, ...]
    new_targets: tuple[SheetTarget, ...]


async def meeting_summary(actor: Actor, record_id: int) -> MeetingSummary | None:
    """The summary of a meeting about a pupil this actor sees; None when either is gone."""
    record = await MeetingRecord.get_or_none(id=record_id)
    if record is None:
        return None
    pupil = await visible_pupil(actor, record.pupil_id)
    if pupil is None:
        return None
    reviewed = await record.targets_reviewed.all().order_by("id")
    new = await record.targets_set.all().order_by("id")
    return MeetingSummary(
        record_id=record.id,
        first_name=pupil.first_name,
        held_at=record.held_at,
        notes=record.notes,
        child_voice=record.child_voice,
        reviewed=tuple(_target(t) for t in reviewed),
        new_targets=tuple(_target(t) for t in new),
    )


def _target(target: Target) -> SheetTarget:
    return SheetTarget(
        Area(target.area), target.text, target.home_support, TargetStatus(target.status)
    )
