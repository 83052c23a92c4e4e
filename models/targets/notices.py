"""The notices targets send to families (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import DeliveryClass, NoticeKind


class TargetNotice(NoticeKind):
    # A new target, with its home-support idea and a "Seen" button.
    TARGET_SET = "target_set", DeliveryClass.ROUTINE
    # Praise for a target met.
    TARGET_ACHIEVED = "target_achieved", DeliveryClass.ROUTINE
