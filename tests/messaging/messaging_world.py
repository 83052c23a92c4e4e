"""A school for the messaging tests, and a postman that delivers the outbox on demand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.app import MentorApplication
from handlers.delivery import notices
from models import GuardianLink, Notification, School
from models.common.enums import NotificationState, Role
from scheduler.delivery import deliver_due
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

HEAD, AMIRA, BEN, TOM, CARL = 100, 103, 104, 105, 106
EWA, PIOTR, OLGA, KASIA = 301, 302, 303, 304
PHONE, EMAIL = "+44 7700 900123", "ewa@example.org"
USERS = {
    HEAD: "Grace",
    AMIRA: "Amira",
    BEN: "Ben",
    TOM: "Tom",
    CARL: "Carl",
    EWA: "Ewa",
    PIOTR: "Piotr",
    OLGA: "Olga",
    KASIA: "Kasia",
}


@dataclass(frozen=True)
class World:
    school: int
    c3: int  # 3B: Amira teaches, Tom assists
    c4: int  # 4H: Ben teaches
    c5: int  # 5C: Carl teaches
    maja: int  # 3B: Ewa (mother) and Piotr (father); Kasia's link is restricted
    jan: int  # 4H: Ewa's son
    zed: int  # 4H: Olga's son


async def build_world(*, office_hours: bool = False) -> World:
    """Oakfield; without office hours unless asked, since conversations run at any time."""
    school = await make_school()
    if not office_hours:
        await School.filter(id=school.id).update(office_opens="00:00", office_closes="00:00")
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    c5 = await make_class(school, "5C")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c4, "P2", "Jan")
    zed = await make_pupil(school, c4, "P3", "Zed")
    await make_staff(school, "H", Role.ADMIN, first_name="Grace", telegram_user_id=HEAD)
    await make_staff(school, "T3", Role.TEACHER, (c3,), first_name="Amira", telegram_user_id=AMIRA)
    await make_staff(school, "T4", Role.TEACHER, (c4,), first_name="Ben", telegram_user_id=BEN)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), first_name="Tom", telegram_user_id=TOM)
    await make_staff(school, "T5", Role.TEACHER, (c5,), first_name="Carl", telegram_user_id=CARL)
    ewa = await make_guardian(school, "G1", (maja, jan), telegram_user_id=EWA, language="pl")
    ewa.phone, ewa.email = PHONE, EMAIL
    await ewa.save()
    piotr = await make_guardian(school, "G2", (maja,), telegram_user_id=PIOTR, first_name="Piotr")
    await GuardianLink.filter(guardian_id=piotr.id).update(relationship="father")
    await make_guardian(school, "G3", (zed,), telegram_user_id=OLGA, first_name="Olga")
    await make_guardian(
        school,
        "G4",
        (maja,),
        receives_reports=False,
        telegram_user_id=KASIA,
        first_name="Kasia",
    )
    return World(school.id, c3.id, c4.id, c5.id, maja.id, jan.id, zed.id)


def pause_jobs(app: MentorApplication) -> None:
    """The outbox and planning jobs stop; the test delivers and plans when it says so."""
    assert app.job_queue is not None
    for job in app.job_queue.jobs():
        job.enabled = False


class Postman:
    """Delivers what the outbox holds, on a clock of its own that only moves forward."""

    def __init__(self, app: MentorApplication) -> None:
        self.app = app
        self.clock = datetime.now(UTC)

    async def deliver(self) -> int:
        """Send everything due (follow-ups a second later included); returns how many."""

        async def send(row: Notification) -> int | None:
            return await notices.send_notice(self.app.bot, row)

        sent = 0
        for _ in range(30):
            # Each chat takes one message a second: step the clock past that each round.
            self.clock = max(datetime.now(UTC), self.clock + timedelta(seconds=1.1))
            result = await deliver_due(send, now=self.clock, pace=0, batch=100)
            sent += result.sent
            waiting = Notification.filter(
                state=NotificationState.PENDING, due_at__lte=self.clock + timedelta(seconds=2)
            )
            if not await waiting.exists():
                break
        return sent
