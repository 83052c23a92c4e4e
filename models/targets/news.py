"""A target as its family's news shows it: which child, which area, the text and the home idea."""

from __future__ import annotations

from dataclasses import dataclass

from models.common.enums import Area, TargetStatus
from models.people.access import Actor
from models.people.pupils import visible_pupil
from models.targets.tables import Target


@dataclass(frozen=True)
class TargetNews:
    """One target of a child the reader may see."""

    target_id: int
    first_name: str
    area: Area
    text: str
    home_support: str
    status: TargetStatus


async def target_news(actor: Actor, target_id: int, pupil_id: int) -> TargetNews | None:
    """The target, if it is still this pupil's and the actor may still see the pupil."""
    target = await Target.get_or_none(id=target_id, pupil_id=pupil_id)
    if target is None:
        return None
    pupil = await visible_pupil(actor, pupil_id)
    if pupil is None:
        return None
    return TargetNews(
        target_id=target.id,
        first_name=pupil.first_name,
        area=Area(target.area),
        text=target.text,
        home_support=target.home_support,
        status=TargetStatus(target.status),
    )
