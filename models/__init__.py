"""Tortoise models and domain operations. Nothing here imports Telegram."""

from models.announcements import Announcement, AnnouncementRecipient, AnnouncementTemplate
from models.assessment import Assessment, Expectation
from models.audit import AuditEntry
from models.invites import Invite
from models.meetings import Booking, MeetingRecord, MentoringRound, Slot, WaitingListEntry
from models.messaging import MessageCopy, MessageThread, StaffAbsence, ThreadMessage
from models.outbox import DeliveryPace, Notification
from models.people import Guardian, GuardianLink, Pupil, SchoolClass, Staff, UserPreference
from models.runtime import ChatFlow, ProcessedUpdate
from models.school import BandLabel, HalfTerm, School
from models.targets import Support, Target, TargetAcknowledgement

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
