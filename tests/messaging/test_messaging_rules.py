"""The messaging rules in the domain: who may write, receive, answer and read, and how much."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.documents.file_export import render_file_export
from handlers.records.pupil_file import render
from models import (
    Guardian,
    GuardianLink,
    MessageThread,
    Notification,
    School,
    Staff,
    StaffAbsence,
    ThreadMessage,
)
from models.common.enums import Role
from models.common.errors import NotAllowed
from models.messaging.conversations import (
    COVER_STARTED,
    FAMILY_MESSAGE,
    MESSAGE_READ,
    STAFF_ANSWER,
    Attachment,
    Draft,
    FamilyUnreachable,
    MessageEmpty,
    MessageTooLong,
    NobodyToReceive,
    NotReceiving,
    TooManyMessages,
    TooManyToday,
    absence_for_cover,
    answer_family,
    come_back,
    cover_choices,
    family_children,
    go_away,
    mark_read,
    message_for_guardian,
    message_for_staff,
    messages_for_staff,
    plan_message_digests,
    pupil_messages,
    remember_copy,
    reply_target,
    send_family_message,
)
from models.messaging.conversations.common import load_views
from models.people.access import resolve_actor
from models.records.file_export import export_pupil_file
from models.records.mentoring_file import mentoring_file
from tests.factories import make_school, make_staff
from tests.messaging.messaging_world import (
    AMIRA,
    BEN,
    CARL,
    EWA,
    HEAD,
    KASIA,
    OLGA,
    PIOTR,
    TOM,
    World,
    build_world,
)
from tests.querycount import count_queries
from tests.records.document_world import pdf_text

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday morning, the office open
OUTSIDER = 900


@pytest.fixture
async def world(db: str) -> World:
    built = await build_world(office_hours=True)
    other = await make_school("Elsewhere Primary")
    await make_staff(other, "OH", Role.ADMIN, telegram_user_id=OUTSIDER)
    return built


async def write(user_id: int, pupil_id: int, text: str = "Hello", at: datetime = NOW) -> int:
    sent = await send_family_message(await resolve_actor(user_id), pupil_id, Draft(text), now=at)
    return sent.view.message_id


async def staff_id(user_id: int) -> int:
    return (await Staff.get(telegram_user_id=user_id)).id


async def refused(user_id: int, message_id: int, at: datetime = NOW) -> bool:
    """Whether this person is refused every staff action on the message."""
    actor = await resolve_actor(user_id)
    for action in (
        message_for_staff(actor, message_id, now=at),
        answer_family(actor, message_id, Draft("Hi"), now=at),
        mark_read(actor, message_id, now=at),
    ):
        try:
            await action
        except NotAllowed:
            continue
        return False
    return True


async def test_only_the_class_teacher_the_cover_and_leaders_may_answer(world: World) -> None:
    message = await write(OLGA, world.zed)  # Zed is in Ben's 4H
    for user_id in (AMIRA, TOM, CARL, OLGA, EWA, OUTSIDER):
        assert await refused(user_id, message), user_id
    assert await ThreadMessage.all().count() == 1
    assert (await ThreadMessage.get()).read_at is None
    for user_id in (BEN, HEAD):
        view = await message_for_staff(await resolve_actor(user_id), message, now=NOW)
        assert view.pupil_name == "Zed Nowak"

    # Carl covers for Ben while he is away, and only then.
    await go_away(await resolve_actor(BEN), await staff_id(CARL), now=NOW)
    later = NOW + timedelta(hours=1)
    answer = await answer_family(await resolve_actor(CARL), message, Draft("Noted"), now=later)
    assert answer.staff_name == "Carl Khan"
    await come_back(await resolve_actor(BEN), now=later)
    assert await refused(CARL, message, later + timedelta(minutes=1))
    # Nor can a teacher moved out of the class answer its families any more.
    ben = await Staff.get(telegram_user_id=BEN)
    await ben.classes.clear()
    assert await refused(BEN, message, later)


async def test_a_reply_finds_its_thread_only_in_the_chat_that_holds_the_copy(
    world: World,
) -> None:
    message = await write(OLGA, world.zed)
    await remember_copy(message, BEN, 70)
    await remember_copy(message, OLGA, 12)
    await remember_copy(message, OLGA, 12)  # remembered twice: still one copy
    ben, amira = await resolve_actor(BEN), await resolve_actor(AMIRA)

    target = await reply_target(ben, BEN, 70)
    assert target is not None
    assert (target.message_id, target.as_family) == (message, False)
    with pytest.raises(NotAllowed):  # a reply claiming to be in Ben's chat
        await reply_target(amira, BEN, 70)
    assert await reply_target(amira, AMIRA, 70) is None  # her own message 70 carries nothing
    olga = await reply_target(await resolve_actor(OLGA), OLGA, 12)
    assert olga is not None
    assert olga.as_family
    with pytest.raises(NotAllowed):
        await reply_target(await resolve_actor(EWA), OLGA, 12)
    # A guardian replying in her chat to a copy that is not her thread's gets nothing.
    await remember_copy(message, EWA, 5)
    with pytest.raises(NotAllowed):
        await reply_target(await resolve_actor(EWA), EWA, 5)


async def test_families_write_only_about_their_own_children(world: World) -> None:
    for user_id, pupil in ((OLGA, world.maja), (KASIA, world.maja), (AMIRA, world.maja)):
        with pytest.raises(NotAllowed):
            await write(user_id, pupil)
    assert not await MessageThread.exists()
    assert [c.name for c in await family_children(await resolve_actor(EWA))] == [
        "Jan Nowak",
        "Maja Nowak",
    ]
    assert await family_children(await resolve_actor(KASIA)) == []

    message = await write(EWA, world.maja)
    view = await message_for_guardian(await resolve_actor(EWA), message)
    assert view.relationship == "mother"
    with pytest.raises(NotAllowed):  # Maja's father may not read her mother's message
        await message_for_guardian(await resolve_actor(PIOTR), message)
    await GuardianLink.filter(pupil_id=world.maja, guardian__telegram_user_id=EWA).update(
        receives_reports=False
    )
    with pytest.raises(NotAllowed):  # restricted since: nothing more about Maja
        await message_for_guardian(await resolve_actor(EWA), message)


async def test_each_parent_has_a_thread_and_only_they_hear_the_answer(world: World) -> None:
    from_ewa = await write(EWA, world.maja, "From Ewa")
    from_piotr = await write(PIOTR, world.maja, "From Piotr")
    assert await MessageThread.filter(pupil_id=world.maja).count() == 2
    await answer_family(await resolve_actor(AMIRA), from_ewa, Draft("To Ewa"), now=NOW)
    to_family = await Notification.filter(kind__in=[STAFF_ANSWER, MESSAGE_READ])
    assert {(n.kind, n.chat_id) for n in to_family} == {(STAFF_ANSWER, EWA), (MESSAGE_READ, EWA)}
    assert (await ThreadMessage.get(id=from_piotr)).read_at is None
    assert (await ThreadMessage.get(id=from_ewa)).read_by_id == await staff_id(AMIRA)


async def test_marking_read_tells_the_family_once(world: World) -> None:
    message = await write(OLGA, world.zed)
    first = await mark_read(await resolve_actor(BEN), message, now=NOW)
    again = await mark_read(await resolve_actor(HEAD), message, now=NOW)
    assert (first.first_time, first.read_by) == (True, "Ben Khan")
    assert (again.first_time, again.read_by) == (False, "Ben Khan")
    assert await Notification.filter(kind=MESSAGE_READ).count() == 1
    answer = await answer_family(await resolve_actor(BEN), message, Draft("Hi"), now=NOW)
    with pytest.raises(NotAllowed):  # only families' messages are marked read
        await mark_read(await resolve_actor(BEN), answer.message_id, now=NOW)


async def test_a_flood_is_refused_and_changes_nothing(world: World) -> None:
    for minute in range(10):
        await write(OLGA, world.zed, at=NOW + timedelta(minutes=minute))
    with pytest.raises(TooManyMessages):
        await write(OLGA, world.zed, at=NOW + timedelta(minutes=9, seconds=30))
    assert await ThreadMessage.all().count() == 10
    assert await Notification.filter(kind=FAMILY_MESSAGE).count() == 10
    # Ten minutes after the first, one more is fine; other parents were never held up.
    await write(OLGA, world.zed, at=NOW + timedelta(minutes=10, seconds=1))
    await write(EWA, world.jan, at=NOW + timedelta(minutes=9, seconds=30))


async def test_forty_a_day_is_the_most_passed_on(world: World) -> None:
    start = NOW - timedelta(hours=20)
    for n in range(40):
        await write(OLGA, world.zed, at=start + timedelta(minutes=30 * n))
    last = start + timedelta(minutes=30 * 39)
    with pytest.raises(TooManyToday):
        await write(OLGA, world.zed, at=last + timedelta(minutes=30))
    assert await ThreadMessage.all().count() == 40
    await write(OLGA, world.zed, at=start + timedelta(days=1, minutes=1))


async def test_an_empty_or_overlong_message_is_refused(world: World) -> None:
    olga = await resolve_actor(OLGA)
    with pytest.raises(MessageEmpty):
        await send_family_message(olga, world.zed, Draft("   "), now=NOW)
    with pytest.raises(MessageTooLong):
        await send_family_message(olga, world.zed, Draft("x" * 3001), now=NOW)
    assert not await MessageThread.exists()
    photo = Draft("", Attachment("photo", "PHOTO-ID"))
    sent = await send_family_message(olga, world.zed, photo, now=NOW)
    assert sent.view.attachment == Attachment("photo", "PHOTO-ID")


async def test_who_receives_a_message_when_teachers_are_missing_or_away(world: World) -> None:
    ben = await Staff.get(telegram_user_id=BEN)
    await go_away(await resolve_actor(BEN), await staff_id(CARL), now=NOW)
    await go_away(await resolve_actor(CARL), None, now=NOW)  # the cover is away too
    sent = await send_family_message(await resolve_actor(OLGA), world.zed, Draft("A"), now=NOW)
    assert sent.routing is not None
    assert [r.name for r in sent.routing.recipients] == ["Grace Khan"]
    assert [(a.person.name, a.cover) for a in sent.routing.away] == [("Ben Khan", None)]
    await go_away(await resolve_actor(HEAD), None, now=NOW)  # the whole office away
    sent = await send_family_message(await resolve_actor(OLGA), world.zed, Draft("B"), now=NOW)
    assert sent.routing is not None
    assert [r.staff_id for r in sent.routing.recipients] == [await staff_id(HEAD)]

    await ben.classes.clear()  # 4H without a teacher: the office
    await come_back(await resolve_actor(HEAD), now=NOW)
    sent = await send_family_message(await resolve_actor(OLGA), world.zed, Draft("C"), now=NOW)
    assert sent.routing is not None
    assert sent.routing.addressees == ()
    assert [r.chat_id for r in sent.routing.recipients] == [HEAD]

    await Staff.filter(role=Role.ADMIN).update(telegram_user_id=None)
    with pytest.raises(NobodyToReceive):
        await write(OLGA, world.zed, "D")
    assert await ThreadMessage.all().count() == 3


async def test_away_needs_a_colleague_who_can_receive(world: World) -> None:
    ben = await resolve_actor(BEN)
    choices = await cover_choices(ben, now=NOW)
    assert [p.name for p in choices] == ["Amira Khan", "Carl Khan", "Grace Khan"]
    outsider = await staff_id(OUTSIDER)
    for forged in (await staff_id(TOM), outsider, await staff_id(BEN)):
        with pytest.raises(NotAllowed):
            await go_away(ben, forged, now=NOW)
    with pytest.raises(NotReceiving):
        await go_away(await resolve_actor(TOM), None, now=NOW)
    with pytest.raises(NotAllowed):
        await go_away(await resolve_actor(OLGA), None, now=NOW)
    assert not await StaffAbsence.exists()

    await go_away(ben, await staff_id(AMIRA), now=NOW)
    changed = await go_away(ben, await staff_id(CARL), now=NOW + timedelta(minutes=5))
    assert await StaffAbsence.filter(ends_at=None).count() == 1
    assert [n.chat_id for n in await Notification.filter(kind=COVER_STARTED)] == [AMIRA, CARL]
    assert await absence_for_cover(
        await resolve_actor(CARL), changed.absence_id, now=NOW + timedelta(minutes=6)
    ) == ("Ben Khan", ["4H"])
    with pytest.raises(NotAllowed):
        await absence_for_cover(await resolve_actor(AMIRA), changed.absence_id, now=NOW)
    # An away colleague cannot be chosen to cover.
    assert "Ben Khan" not in [
        p.name for p in await cover_choices(await resolve_actor(CARL), now=NOW)
    ]


async def test_an_answer_to_a_family_no_longer_here_is_refused(world: World) -> None:
    message = await write(OLGA, world.zed)
    await Guardian.filter(telegram_user_id=OLGA).update(left_at=NOW)
    with pytest.raises(FamilyUnreachable):
        await answer_family(await resolve_actor(BEN), message, Draft("Hi"), now=NOW)
    assert await ThreadMessage.all().count() == 1


async def test_messages_are_in_the_staff_file_and_the_export_but_not_the_words(
    world: World,
) -> None:
    message = await write(OLGA, world.zed, "Zed's grandad is unwell.")
    await answer_family(
        await resolve_actor(BEN), message, Draft("Thank you for telling us."), now=NOW
    )
    today = NOW.date()
    file = await mentoring_file(
        await resolve_actor(BEN), world.zed, academic_year="2026-27", today=today
    )
    kinds = [(item.kind, item.detail, item.by) for item in file.history]
    assert ("message_from_family", "Olga (mother)", "") in kinds
    assert ("message_to_family", "Olga (mother)", "Ben Khan") in kinds
    shown = render(file)
    assert "message from Olga (mother)" in shown
    assert "answer from Ben Khan to Olga (mother)" in shown
    assert "grandad" not in shown

    export = await export_pupil_file(await resolve_actor(HEAD), world.zed, now=NOW)
    assert [(m.from_family, m.text, m.read_by) for m in export.messages] == [
        (True, "Zed's grandad is unwell.", "Ben Khan"),
        (False, "Thank you for telling us.", ""),
    ]
    text = pdf_text(render_file_export(export, "en"))
    assert "Zed's grandad is unwell." in text
    assert "From Ben Khan to Olga Nowak (mother)" in text
    with pytest.raises(NotAllowed):  # the export is for senior leaders only
        await export_pupil_file(await resolve_actor(BEN), world.zed, now=NOW)


async def _messages(world: World, count: int) -> list[int]:
    ids = []
    for n in range(count):
        ids.append(await write(OLGA if n % 2 else EWA, world.zed if n % 2 else world.jan))
        await Notification.all().delete()  # keep the flood limit's count out of the way
        await ThreadMessage.filter(id=ids[-1]).update(created_at=NOW - timedelta(days=2))
    return ids


async def test_listing_messages_takes_a_fixed_number_of_queries(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    few, many = await _messages(world, 2), await _messages(world, 12)
    ben = await resolve_actor(BEN)
    counts = []
    for ids in (few, many):
        with count_queries(monkeypatch) as counted:
            views = await messages_for_staff(ben, ids, now=NOW)
            await load_views(ids)
            await pupil_messages(world.zed)
            await mentoring_file(ben, world.zed, academic_year="2026-27", today=NOW.date())
            await family_children(await resolve_actor(EWA))
        counts.append(counted.count)
        assert {v.pupil_name for v in views} == {"Zed Nowak", "Jan Nowak"}
    assert counts[0] == counts[1]


async def test_planning_the_digest_takes_a_fixed_number_of_queries(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await School.filter(id=world.school).update(office_opens="08:00", office_closes="17:00")
    counts = []
    # The same classes each night (one update per class teacher), few messages or many.
    for batch, count in enumerate((3, 15)):
        night = NOW + timedelta(days=batch, hours=9)  # 19:00
        for n in range(count):
            pupil = (world.zed, world.jan, world.maja)[n % 3]
            user = {world.zed: OLGA, world.jan: EWA, world.maja: PIOTR}[pupil]
            await write(user, pupil, at=night + timedelta(seconds=n))
        with count_queries(monkeypatch) as counted:
            assert await plan_message_digests(now=night + timedelta(hours=13)) > 0
        counts.append(counted.count)
    assert counts[0] == counts[1]
