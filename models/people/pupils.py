"""What callers see of a pupil: a frozen view, looked up only through the access rules."""

from __future__ import annotations

from dataclasses import dataclass

from models.common.enums import YearGroup
from models.people.access import Actor, Permission, require_pupil, visible_pupils
from models.people.tables import Pupil


@dataclass(frozen=True)
class PupilView:
    pupil_id: int
    first_name: str
    last_name: str
    year_group: YearGroup
    school_class_id: int | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def pupil_view(pupil: Pupil) -> PupilView:
    """The view of a pupil row."""
    return PupilView(
        pupil_id=pupil.id,
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        year_group=YearGroup(pupil.year_group),
        school_class_id=pupil.school_class_id,
    )


async def visible_pupil(actor: Actor, pupil_id: int) -> PupilView | None:
    """The pupil if this actor may see them (own child, own class, whole school), else None."""
    pupil = await visible_pupils(actor).filter(id=pupil_id).first()
    return None if pupil is None else pupil_view(pupil)


async def pupil_for(actor: Actor, pupil_id: int, permission: Permission) -> PupilView:
    """The pupil, if this actor may do `permission` to them; otherwise NotAllowed."""
    return pupil_view(await require_pupil(actor, pupil_id, permission))
