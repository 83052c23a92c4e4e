"""Every feature's notice kinds, loaded together wherever `models` is imported.

The outbox depends on no feature, so it cannot import their declarations itself; this index
does, and `models/__init__` imports it, so a row's kind is known wherever rows are produced,
held back or delivered. A feature with notices adds its `notices` module here
(tests/delivery/test_kinds.py fails when one is left out).
"""

from __future__ import annotations

from models.announcements.notices import AnnouncementNotice
from models.calendar.notices import HalfTermNotice
from models.delivery.kinds import DeliveryNotice
from models.meetings.notices import MeetingNotice, TeacherBookingNotice
from models.messaging.notices import MessagingNotice
from models.targets.notices import TargetNotice

FEATURE_KINDS = (
    AnnouncementNotice,
    DeliveryNotice,
    HalfTermNotice,
    MeetingNotice,
    MessagingNotice,
    TargetNotice,
    TeacherBookingNotice,
)
