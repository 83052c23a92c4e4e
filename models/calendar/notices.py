"""The half-termly notices, to class teachers and to families (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import Audience, DeliveryClass, NoticeKind


class HalfTermNotice(NoticeKind):
    # To each class teacher, a week before the half-term ends: what to review.
    HALFTERM_TEACHER = "halfterm_teacher", DeliveryClass.IMMEDIATE, Audience.STAFF
    # To families once the half-term ends: their child's half-term, with a profile picture.
    HALFTERM_SUMMARY = "halfterm_summary", DeliveryClass.ROUTINE
