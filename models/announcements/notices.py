"""The notices announcements send to families (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import DeliveryClass, NoticeKind


class AnnouncementNotice(NoticeKind):
    ANNOUNCEMENT = "announcement", DeliveryClass.ANNOUNCEMENT
    # Sent again to those who have not yet said they saw it.
    ANNOUNCEMENT_REMINDER = "announcement_reminder", DeliveryClass.ANNOUNCEMENT
