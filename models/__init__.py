"""Tortoise models and domain operations. Nothing here imports Telegram."""

# Every notice kind is declared (models/notices.py) wherever the outbox is used.
import models.notices  # noqa: F401
from models.announcements.tables import Announcement, AnnouncementRecipient, AnnouncementTemplate
from models.assessment.tables import Assessment, Expectation
from models.calendar.school import BandLabel, HalfTerm, School
from models.common.audit import AuditEntry
from models.common.runtime import ChatFlow, InboxUpdate, ProcessedUpdate
from models.delivery.outbox import DeliveryPace, Notification
from models.meetings.tables import Booking, MeetingRecord, MentoringRound, Slot, WaitingListEntry
from models.messaging.tables import MessageCopy, MessageThread, StaffAbsence, ThreadMessage
from models.people.invites import Invite
from models.people.tables import Guardian, GuardianLink, Pupil, SchoolClass, Staff, UserPreference
from models.targets.tables import Support, Target, TargetAcknowledgement

__all__ = [
    "Announcement",
    "AnnouncementRecipient",
    "AnnouncementTemplate",
    "Assessment",
    "AuditEntry",
    "BandLabel",
    "Booking",
    "ChatFlow",
    "DeliveryPace",
    "Expectation",
    "Guardian",
    "GuardianLink",
    "HalfTerm",
    "InboxUpdate",
    "Invite",
    "MeetingRecord",
    "MentoringRound",
    "MessageCopy",
    "MessageThread",
    "Notification",
    "ProcessedUpdate",
    "Pupil",
    "School",
    "SchoolClass",
    "Slot",
    "Staff",
    "StaffAbsence",
    "Support",
    "Target",
    "TargetAcknowledgement",
    "ThreadMessage",
    "UserPreference",
    "WaitingListEntry",
]
