"""The notices mentoring meetings send to families and teachers (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import Audience, DeliveryClass, NoticeKind


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


class TeacherBookingNotice(NoticeKind):
    # To the meeting's teacher: a family booked, moved or declined (one change), or the
    # changes of the school day gathered into one message when the office closes.
    TEACHER_BOOKING_NEWS = "teacher_booking_news", DeliveryClass.IMMEDIATE, Audience.STAFF
    TEACHER_BOOKING_SUMMARY = "teacher_booking_summary", DeliveryClass.IMMEDIATE, Audience.STAFF
