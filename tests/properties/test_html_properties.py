"""Text escaped into Telegram's HTML: any name or message makes HTML Telegram accepts, and reads
back exactly.

Names come from the roster files and messages from families; both may hold <, >, &, quotes,
emoji and right-to-left text. Every renderer here is checked in every shipped language, so a
translation that breaks the HTML is caught too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.i18n import strip_isolates, use_locale
from handlers.announcements.notices import announcement_text
from handlers.common.labels import shown_text
from handlers.meetings.texts import booked_text, confirmed_text
from handlers.messaging import texts
from models.announcements.reading import ReadableAnnouncement, Translation
from models.announcements.sending import Audience
from models.common.enums import AudienceKind, BookingStatus, MessageDirection, YearGroup
from models.common.languages import SHIPPED_LOCALES
from models.meetings.booking.views import BookingView, SlotView
from models.messaging.conversations import PHOTO, Attachment, MessageView
from models.messaging.conversations.common import DOCUMENT
from models.messaging.conversations.recipients import Away, Person, Routing
from tests.properties.telegram_html import RefusedHTML, visible_text

ZONE = ZoneInfo("Europe/London")
MOMENT = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
TRICKY = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "&amp;",
    "&lt;b&gt;",
    "<b>",
    "</i>",
    "<a href='x'>",
    "&#x27;",
    "&nbsp;",
    "🙂",
    "👩‍👧",
    "🇵🇱",
    "محمد",
    "علی",
    "\u200f",
    "\u202e",
    "Łucja",
    "Олена",
    "{}",
    "{name}",
    "\n",
    " ",
]
# Any text without lone surrogates (Telegram's text is UTF-8), mixed with the tricky pieces.
text = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=8)), max_size=8).map("".join)
names = text.filter(lambda name: len(name) <= 100)
locales = st.sampled_from(SHIPPED_LOCALES)


def _view(**fields: object) -> MessageView:
    base: dict[str, object] = {
        "message_id": 7,
        "thread_id": 3,
        "pupil_id": 5,
        "pupil_name": "Maja Nowak",
        "pupil_first_name": "Maja",
        "class_name": "3B",
        "guardian_id": 9,
        "guardian_first_name": "Ewa",
        "relationship": "mother",
        "direction": MessageDirection.FROM_GUARDIAN,
        "staff_id": 2,
        "staff_name": "Anna Smith",
        "text": "",
        "attachment": None,
        "created_at": MOMENT,
        "deliver_after": MOMENT,
        "read_at": None,
        "read_by": "",
    }
    return MessageView(**{**base, **fields})  # type: ignore[arg-type]


views = st.builds(
    _view,
    pupil_name=names,
    pupil_first_name=names,
    class_name=st.one_of(st.none(), names),
    guardian_first_name=names,
    relationship=names,
    staff_name=names,
    text=text,
    attachment=st.one_of(
        st.none(),
        st.builds(Attachment, st.sampled_from([PHOTO, DOCUMENT]), st.just("file"), names),
    ),
    read_by=names,
)


def _shows(html: str, *originals: str) -> None:
    """Telegram accepts `html`, and its text holds each original exactly.

    Right-to-left messages isolate what they insert, line by line (`bot.i18n`): the marks are
    invisible, so they are left out of what the reader sees.
    """
    shown = strip_isolates(visible_text(html))
    for original in originals:
        assert strip_isolates(original) in shown, (original, html)


@given(views, locales)
@example(_view(text="<b>Tom & Jerry</b> &amp; 'quotes'", guardian_first_name="A&B"), "ar")
def test_what_staff_see_of_a_familys_message(view: MessageView, locale: str) -> None:
    with use_locale(locale):
        family = texts.family_label(view)
        staff_sees = texts.staff_copy_text(
            view, covering=[view.staff_name], written_when=view.read_by, follows=True
        )
        _shows(staff_sees, view.pupil_name, view.class_name or "", family, view.text)
        _shows(texts.staff_caption(view), view.pupil_name, family)
        _shows(texts.reply_prompt_text(view), family, view.pupil_name, view.text)
        _shows(texts.answered_text(view), family, view.pupil_name)
        digest = texts.digest_text([view, view], ZONE, covering=[view.staff_name])
        _shows(digest, view.pupil_name, family, texts.excerpt(view.text), view.staff_name)


@given(views, locales)
def test_what_a_family_sees_of_the_schools_answer(view: MessageView, locale: str) -> None:
    with use_locale(locale):
        _shows(texts.answer_text(view), view.staff_name, view.pupil_first_name, view.text)
        _shows(texts.answer_caption(view), view.staff_name, view.pupil_first_name)
        _shows(texts.read_notice(view), view.read_by, view.pupil_first_name)
        _shows(texts.held_note(MOMENT, ZONE))


@given(views, locales, st.lists(names, max_size=3), names)
def test_what_a_family_sees_of_its_own_message(
    view: MessageView, locale: str, teachers: list[str], cover: str
) -> None:
    people = tuple(Person(number, name) for number, name in enumerate(teachers, 1))
    away = tuple(
        Away(person, Person(99, cover) if number % 2 else None)
        for number, person in enumerate(people[1:])
    )
    with use_locale(locale):
        for routing in (None, Routing((), ()), Routing(people, (), away)):
            lines = texts.sent_lines(view, routing)
            _shows(texts.confirmation_text(view, lines), view.pupil_first_name, *lines)
        read = texts.read_line(replace(view, read_at=MOMENT), ZONE)
        _shows(texts.confirmation_text(view, [read]), read, texts.excerpt(view.text))


@given(names, st.lists(names, max_size=4), locales)
def test_a_colleague_told_they_cover(name: str, classes: list[str], locale: str) -> None:
    with use_locale(locale):
        _shows(texts.cover_text(name, classes), name, *classes)


@given(names, names, st.booleans(), st.booleans(), locales)
def test_a_booking_as_the_family_sees_it(
    teacher: str, pupil: str, by_school: bool, confirmed: bool, locale: str
) -> None:
    slot = SlotView(1, MOMENT, MOMENT, teacher, 2)
    view = BookingView(3, slot, 4, pupil, BookingStatus.BOOKED, by_school, confirmed)
    with use_locale(locale):
        _shows(booked_text(view, ZONE), teacher, pupil)
        _shows(confirmed_text(view, ZONE), teacher, pupil)


@given(
    names,
    st.one_of(st.none(), names),
    text,
    st.one_of(st.none(), text),
    st.sampled_from([*AudienceKind]),
    st.booleans(),
    st.booleans(),
    locales,
)
def test_an_announcement_as_a_family_reads_it(
    school: str,
    class_name: str | None,
    message: str,
    translated: str | None,
    kind: AudienceKind,
    critical: bool,
    reminder: bool,
    locale: str,
) -> None:
    translations = {} if translated is None else {locale: Translation(translated, machine=True)}
    item = ReadableAnnouncement(
        1,
        school,
        Audience(kind, YearGroup.Y3.value if kind is AudienceKind.YEAR else ""),
        class_name,
        message,
        translations,
        needs_ack=True,
        critical=critical,
        seen=False,
    )
    with use_locale(locale):
        html = announcement_text(item, locale, reminder=reminder)
    shown = translated if translated is not None and locale != "en" else message
    _shows(html, school, shown)


@given(text, locales)
def test_stored_text_shown_as_is(stored: str, locale: str) -> None:
    with use_locale(locale):
        shown = shown_text(stored)
    # A stored text that is a msgid shows its translation; any other shows as typed.
    _shows(shown)
    assert visible_text(shown) in {stored, _translated(stored, locale)}


def _translated(stored: str, locale: str) -> str:
    from bot.i18n import gettext

    with use_locale(locale):
        return gettext(stored) if stored else ""


@pytest.mark.parametrize(
    ("html", "seen"),
    [
        ("<b>a</b> &lt;b&gt; &amp; &quot; &#x27; &#39;", "a <b> & \" ' '"),
        ('<a href="https://example.org">x</a><span class="tg-spoiler">y</span>', "xy"),
        (
            "<blockquote expandable>q</blockquote><pre><code class='language-py'>c</code></pre>",
            "qc",
        ),
    ],
)
def test_the_checker_reads_what_telegram_accepts(html: str, seen: str) -> None:
    assert visible_text(html) == seen


@pytest.mark.parametrize(
    "html",
    [
        "Tom & Jerry",
        "&amp",
        "&nbsp;",
        "a < b",
        "a > b",
        "<p>x</p>",
        "<b>x",
        "<b><i>x</b></i>",
        "x</b>",
        "<br/>",
        "<span>x</span>",
        '<b class="x">y</b>',
        "<!-- x -->",
        "&#xD800;",
        "<b",
    ],
)
def test_the_checker_refuses_what_telegram_refuses(html: str) -> None:
    with pytest.raises(RefusedHTML):
        visible_text(html)
