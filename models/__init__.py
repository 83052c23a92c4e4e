"""Tortoise models and domain operations. Nothing here imports Telegram."""

from models.assessment import Assessment, Expectation
from models.audit import AuditEntry
from models.invites import Invite
from models.meetings import Booking, MeetingRecord, MentoringRound, Slot, WaitingListEntry
from models.outbox import DeliveryPace, Notification
from models.people import Guardian, GuardianLink, Pupil, SchoolClass, Staff, UserPreference
from models.runtime import ChatFlow, ProcessedUpdate
from models.school import BandLabel, HalfTerm, School
from models.targets import Support, Target, TargetAcknowledgement

__all__ = [
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
    "Notification",
    "ProcessedUpdate",
    "Pupil",
    "School",
    "SchoolClass",
    "Slot",
    "Staff",
    "Support",
    "Target",
    "TargetAcknowledgement",
    "UserPreference",
    "WaitingListEntry",
]
