"""Targets: set within the rules, reviewed once, parents told through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models import Notification, Support, Target, TargetAcknowledgement
from models.common.enums import Area, Role, SupportKind, TargetStatus
from models.common.errors import DomainError, NotAllowed
from models.people.access import resolve_actor
from models.targets.targeting import (
    AlreadyReviewed,
    TextMissing,
    TooManyTargets,
    acknowledge_target,
    acknowledged_by,
    record_support,
    review_target,
    set_target,
)
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
async def world(db: str) -> dict[str, int]:
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c4, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=104)
    await make_guardian(school, "G1", (maja,), telegram_user_id=301, first_name="Ewa")
    await make_guardian(school, "G2", (maja,), telegram_user_id=302, first_name="Piotr")
    await make_guardian(school, "G3", (maja,), receives_reports=False, telegram_user_id=303)
    await make_guardian(school, "G4", (maja,), telegram_user_id=None)  # not linked yet
    await make_guardian(school, "G5", (jan,), telegram_user_id=305)
    return {"maja": maja.id, "jan": jan.id}


async def test_setting_a_target_queues_one_message_per_reporting_guardian(
    world: dict[str, int],
) -> None:
    teacher = await resolve_actor(103)
    target = await set_target(
        teacher,
        world["maja"],
        Area.WRITING,
        " Uses capital letters ",
        "Read a page together",
        now=NOW,
    )
    assert target.text == "Uses capital letters"
    rows = await Notification.filter(kind="target_set").order_by("chat_id")
    assert [r.chat_id for r in rows] == [301, 302]  # not the restricted link, not the unlinked
    assert all(r.params == {"target_id": target.id, "pupil_id": world["maja"]} for r in rows)


async def test_at_most_three_active_targets_per_area(world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    for n in range(3):
        await set_target(teacher, world["maja"], Area.MATHS, f"Target {n}", "", now=NOW)
    with pytest.raises(TooManyTargets) as refused:
        await set_target(teacher, world["maja"], Area.MATHS, "One more", "", now=NOW)
    assert refused.value.params == {"name": "Maja", "limit": 3}
    await set_target(teacher, world["maja"], Area.READING, "Another area is fine", "", now=NOW)
    assert await Target.filter(pupil_id=world["maja"]).count() == 4


async def test_bad_targets_and_wrong_people_change_nothing(world: dict[str, int]) -> None:
    teacher, assistant, parent = [await resolve_actor(u) for u in (103, 104, 301)]
    with pytest.raises(TextMissing):
        await set_target(teacher, world["maja"], Area.MATHS, "   ", "", now=NOW)
    with pytest.raises(NotAllowed):
        await set_target(teacher, world["jan"], Area.MATHS, "Not my class", "", now=NOW)
    with pytest.raises(NotAllowed):
        await set_target(assistant, world["maja"], Area.MATHS, "Assistants do not", "", now=NOW)
    with pytest.raises(NotAllowed):
        await set_target(parent, world["maja"], Area.MATHS, "Parents do not", "", now=NOW)
    assert await Target.all().count() == 0
    assert await Notification.all().count() == 0


async def test_review_outcomes(world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    achieved = await set_target(teacher, world["maja"], Area.MATHS, "Knows 3x table", "", now=NOW)
    carried = await set_target(teacher, world["maja"], Area.MATHS, "Knows 4x table", "", now=NOW)
    dropped = await set_target(teacher, world["maja"], Area.MATHS, "Old target", "", now=NOW)
    await review_target(teacher, achieved.id, TargetStatus.ACHIEVED, now=NOW)
    await review_target(teacher, carried.id, TargetStatus.CARRIED_OVER, now=NOW)
    await review_target(teacher, dropped.id, TargetStatus.DROPPED, now=NOW)
    with pytest.raises(AlreadyReviewed):
        await review_target(teacher, achieved.id, TargetStatus.DROPPED, now=NOW)
    active = await Target.filter(status=TargetStatus.ACTIVE).values_list("text", flat=True)
    assert active == ["Knows 4x table"]  # the carried-over target goes on as a fresh one
    praise = await Notification.filter(kind="target_achieved").count()
    assert praise == 2  # both reporting guardians


async def test_acknowledgement_is_for_the_childs_own_guardians(world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    target = await set_target(teacher, world["maja"], Area.MATHS, "Knows 3x table", "", now=NOW)
    ewa, jans_dad, restricted = [await resolve_actor(u) for u in (301, 305, 303)]
    assert await acknowledge_target(ewa, target.id) is True
    assert await acknowledge_target(ewa, target.id) is False
    for outsider in (jans_dad, restricted, teacher):
        with pytest.raises(NotAllowed):
            await acknowledge_target(outsider, target.id)
    assert await TargetAcknowledgement.all().count() == 1
    assert await acknowledged_by([target.id]) == {target.id: ["Ewa Nowak"]}


async def test_support_records_who_delivers_it(world: dict[str, int]) -> None:
    assistant = await resolve_actor(104)
    support = await record_support(
        assistant,
        world["maja"],
        SupportKind.GROUP,
        "Phonics group, three mornings a week",
        "Mr Tom Reed",
        starts_on=date(2026, 11, 24),
        review_on=date(2027, 1, 15),
    )
    assert (await Support.get(id=support.id)).responsible == "Mr Tom Reed"
    with pytest.raises(DomainError):
        await record_support(
            assistant, world["maja"], SupportKind.GROUP, "x", "y",
            starts_on=date(2026, 11, 24), review_on=date(2026, 11, 1),
        )  # fmt: skip
    with pytest.raises(NotAllowed):
        await record_support(
            assistant, world["jan"], SupportKind.ONE_TO_ONE, "x", "y",
            starts_on=date(2026, 11, 24), review_on=None,
        )  # fmt: skip
