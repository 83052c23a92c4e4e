"""The notices conversations send, to staff and to families (`models.delivery.kinds`)."""

from __future__ import annotations

from models.delivery.kinds import Audience, DeliveryClass, NoticeKind


class MessagingNotice(NoticeKind):
    # To staff: a family's message, or the ones that came in outside office hours.
    FAMILY_MESSAGE = "family_message", DeliveryClass.IMMEDIATE, Audience.STAFF
    MESSAGE_DIGEST = "message_digest", DeliveryClass.IMMEDIATE, Audience.STAFF
    # To staff: a colleague's family messages now come to you while they are away.
    COVER_STARTED = "cover_started", DeliveryClass.IMMEDIATE, Audience.STAFF
    # To the family: an answer, and that their message was read.
    STAFF_ANSWER = "staff_answer", DeliveryClass.IMMEDIATE
    MESSAGE_READ = "message_read", DeliveryClass.IMMEDIATE
    # A photo or document following a message, either way.
    MESSAGE_FILE = "message_file", DeliveryClass.IMMEDIATE, Audience.GUARDIAN | Audience.STAFF
