"""Authorization lives in the domain: each test tries to cross a line and must fail."""

from __future__ import annotations

import pytest

from models.common.enums import Role
from models.common.errors import NotAllowed
from models.people.access import Actor, Permission, require_pupil, resolve_actor, visible_pupils
from models.people.overview import children_of, classes_of, school_overview
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff


@pytest.fixture
async def school_world(db: str) -> dict[str, int]:
    """Two classes in one school and a second school, with people linked to Telegram."""
    school = await make_school()
    other_school = await make_school("Elm Tree Primary")
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    elsewhere = await make_class(other_school, "3B")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c4, "P2", "Jan")
    stranger = await make_pupil(other_school, elsewhere, "P1", "Ola")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=104)
    await make_staff(school, "H", Role.ADMIN, (), telegram_user_id=100)
    await make_staff(other_school, "H2", Role.ADMIN, (), telegram_user_id=200)
    await make_guardian(school, "G1", (maja,), telegram_user_id=301)
    await make_guardian(school, "G2", (jan,), receives_reports=False, telegram_user_id=302)
    return {"maja": maja.id, "jan": jan.id, "stranger": stranger.id}


async def visible_names(user_id: int) -> set[str]:
    actor = await resolve_actor(user_id)
    return {p.first_name for p in await visible_pupils(actor)}


async def test_each_role_sees_exactly_its_pupils(school_world: dict[str, int]) -> None:
    assert await visible_names(301) == {"Maja"}  # a parent: own child only
    assert await visible_names(302) == set()  # a restricted link: nothing
    assert await visible_names(103) == {"Maja"}  # a teacher: own class
    assert await visible_names(104) == {"Maja"}  # an assistant: own class
    assert await visible_names(100) == {"Maja", "Jan"}  # a leader: the school, not another
    assert await visible_names(200) == {"Ola"}
    assert await visible_names(999) == set()  # a stranger: nothing


async def test_a_parent_cannot_open_another_child(school_world: dict[str, int]) -> None:
    parent = await resolve_actor(301)
    assert (await require_pupil(parent, school_world["maja"], Permission.VIEW_PUPIL)).first_name
    for pupil in ("jan", "stranger"):
        with pytest.raises(NotAllowed):
            await require_pupil(parent, school_world[pupil], Permission.VIEW_PUPIL)


async def test_a_parent_cannot_change_even_their_own_child(school_world: dict[str, int]) -> None:
    parent = await resolve_actor(301)
    for permission in (Permission.ASSESS, Permission.MANAGE_TARGETS, Permission.SET_EXPECTATIONS):
        with pytest.raises(NotAllowed):
            await require_pupil(parent, school_world["maja"], permission)


async def test_restricted_link_reveals_nothing(school_world: dict[str, int]) -> None:
    parent = await resolve_actor(302)
    with pytest.raises(NotAllowed):
        await require_pupil(parent, school_world["jan"], Permission.VIEW_PUPIL)
    assert await children_of(parent) == []


async def test_teacher_stays_in_their_classes(school_world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    await require_pupil(teacher, school_world["maja"], Permission.MANAGE_TARGETS)
    for pupil in ("jan", "stranger"):
        with pytest.raises(NotAllowed):
            await require_pupil(teacher, school_world[pupil], Permission.ASSESS)
    with pytest.raises(NotAllowed):
        await require_pupil(teacher, school_world["maja"], Permission.SET_EXPECTATIONS)
    with pytest.raises(NotAllowed):
        await school_overview(teacher)


async def test_assistant_has_fewer_rights(school_world: dict[str, int]) -> None:
    assistant = await resolve_actor(104)
    await require_pupil(assistant, school_world["maja"], Permission.ASSESS)
    with pytest.raises(NotAllowed):
        await require_pupil(assistant, school_world["maja"], Permission.MANAGE_TARGETS)


async def test_leader_sees_own_school_only(school_world: dict[str, int]) -> None:
    leader = await resolve_actor(100)
    await require_pupil(leader, school_world["jan"], Permission.SET_EXPECTATIONS)
    with pytest.raises(NotAllowed):
        await require_pupil(leader, school_world["stranger"], Permission.VIEW_PUPIL)
    summary = await school_overview(leader)
    assert (summary.pupils, summary.classes, summary.staff) == (2, 2, 3)
    assert [c.name for c in await classes_of(leader)] == ["3B", "4H"]


async def test_unlinked_user_reaches_nothing(school_world: dict[str, int]) -> None:
    nobody = Actor(telegram_user_id=999)
    with pytest.raises(NotAllowed):
        await children_of(nobody)
    with pytest.raises(NotAllowed):
        await classes_of(nobody)
    with pytest.raises(NotAllowed):
        await school_overview(nobody)


async def test_a_teacher_who_is_also_a_parent_sees_both(db: str) -> None:
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    await make_pupil(school, c3, "P1", "Maja")
    own_child = await make_pupil(school, c4, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_guardian(school, "G9", (own_child,), telegram_user_id=103)
    actor = await resolve_actor(103)
    assert {p.first_name for p in await visible_pupils(actor)} == {"Maja", "Jan"}
    # ...but may change their own child's record only as the child's teacher, which they are not.
    with pytest.raises(NotAllowed):
        await require_pupil(actor, own_child.id, Permission.ASSESS)


async def test_left_pupils_disappear(school_world: dict[str, int]) -> None:
    from datetime import UTC, datetime

    from models import Pupil

    await Pupil.filter(id=school_world["maja"]).update(left_at=datetime.now(UTC))
    assert await visible_names(301) == set()
    assert await visible_names(103) == set()
