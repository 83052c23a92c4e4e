"""The notices mentoring meetings send to families (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import DeliveryClass, NoticeKind


class MeetingNotice(NoticeKind):
    # A round is open: book a time.
    MEETING_INVITE = "meeting_invite", DeliveryClass.MEETING
    # A time freed up for a family on the waiting list.
    MEETING_OFFER = "meeting_offer", DeliveryClass.MEETING
    BOOKING_CONFIRMED = "booking_confirmed", DeliveryClass.MEETING
    BOOKING_CHANGED = "booking_changed", DeliveryClass.MEETING
    # 24 h and 2 h before the meeting.
    MEETING_REMINDER = "meeting_reminder", DeliveryClass.MEETING
    # The meeting's notes, its printable sheet following as a file.
    MEETING_SUMMARY = "meeting_summary", DeliveryClass.ROUTINE
