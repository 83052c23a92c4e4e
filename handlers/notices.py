"""Every feature's outbox notices: how each declared kind renders (`handlers.delivery.kinds`).

Imported by `handlers.delivery.notices`, so wherever rows are delivered every kind has its
renderer. A feature that binds kinds (`notice(...)`) is listed here; tests/delivery/test_kinds.py
fails when one is left out or a declared kind is never bound.
"""

from __future__ import annotations

from handlers.announcements import notices as announcement_notices
from handlers.calendar import halfterm as halfterm_notices
from handlers.delivery import files as file_notices
from handlers.meetings import notices as meeting_notices
from handlers.messaging import notices as message_notices
from handlers.targets import notices as target_notices

FEATURE_NOTICES = (
    announcement_notices,
    file_notices,
    halfterm_notices,
    meeting_notices,
    message_notices,
    target_notices,
)
