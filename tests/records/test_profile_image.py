"""The "My Pupil Profile" picture: its data, who may see it, and how it looks in every language."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, features

from bot.app import MentorApplication
from bot.documents import text as shaping
from bot.documents.canvas import BAND_FILLS, PAPER
from bot.documents.fonts import FONTS_DIR, fallbacks_for, fonts_for, is_rtl
from bot.documents.profile_image import WIDTH, draw_profile
from bot.documents.text import ShapingUnavailable, Typeface, bidi_levels, visual_order
from bot.emulator import BotApiEmulator
from bot.i18n import SHIPPED_LOCALES
from models import HalfTerm
from models.assessment.assessing import record_assessment
from models.calendar.year_calendar import standard_half_terms
from models.common.enums import Area
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from models.records.profile_picture import ProfilePicture, profile_picture
from tests.harness import dialog
from tests.querycount import count_queries
from tests.records.picture_world import (
    AMIRA,
    ASSISTANT,
    EWA,
    HEAD,
    IMRAN,
    NOW,
    OLGA,
    RESTRICTED,
    TOM,
    PictureWorld,
    build_world,
    pixel,
)


@pytest.fixture
async def world(db: str) -> PictureWorld:
    return await build_world()


async def maja_picture(world: PictureWorld) -> ProfilePicture:
    return await profile_picture(await resolve_actor(EWA), world.maja, now=NOW)


async def test_each_area_shows_the_latest_band_of_each_half_term(world: PictureWorld) -> None:
    picture = await maja_picture(world)
    assert (picture.name, picture.class_name, picture.school_name) == (
        "Maja Kowalska",
        "3B",
        "Oakfield Primary",
    )
    assert (picture.today, picture.academic_year, picture.current) == (
        date(2027, 1, 20),
        "2026-27",
        2,
    )
    assert [span.starts_on for span in picture.half_terms][:3] == [
        date(2026, 9, 2),
        date(2026, 11, 2),
        date(2027, 1, 5),
    ]
    rows = {row.area: row for row in picture.rows}
    assert [row.area for row in picture.rows] == list(Area)
    # A judgement in the October holiday counts with the half-term before it.
    assert rows[Area.READING].bands == ("towards", "towards", "expected", None, None, None)
    assert rows[Area.WRITING].bands == ("towards", None, "towards", None, None, None)
    assert rows[Area.MATHS].bands == ("expected", "greater_depth", None, None, None, None)
    # Last school year's judgement and the child's own view stay off.
    assert rows[Area.BEHAVIOUR].bands == (None, "mixed", "good", None, None, None)
    assert rows[Area.ATTITUDE].bands == ("good", None, None, None, None, None)
    assert rows[Area.READING].expected == "expected"
    assert rows[Area.MATHS].expected == "greater_depth"
    assert rows[Area.ATTENDANCE].expected is None  # set for last year only
    assert [(t.area, t.text) for t in picture.targets] == [
        (Area.READING, "Reads aloud with expression, pausing at full stops"),
        (Area.WRITING, "Uses capital letters in every sentence"),
    ]
    assert picture.targets[0].home_support == "Read a page together and take turns"


async def test_without_stored_half_terms_the_standard_year_is_used(db: str) -> None:
    world = await build_world(half_terms=False)
    picture = await maja_picture(world)
    assert picture.half_terms == standard_half_terms("2026-27")
    assert picture.current == 2
    assert {row.area: row.bands for row in picture.rows}[Area.READING][:3] == (
        "towards",
        "towards",
        "expected",
    )


async def test_a_calendar_set_in_part_is_filled_in_from_the_standard_year(
    world: PictureWorld,
) -> None:
    await HalfTerm.filter(number__gte=4).delete()
    spans = (await maja_picture(world)).half_terms
    assert [span.starts_on for span in spans[2:4]] == [date(2027, 1, 5), date(2027, 2, 15)]
    assert spans[3:] == standard_half_terms("2026-27")[3:]


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (EWA, True),  # her own child
        (AMIRA, True),  # Maja's class teacher
        (ASSISTANT, True),  # works in 3B
        (HEAD, True),  # the whole school
        (IMRAN, False),  # another child's father
        (RESTRICTED, False),  # a link that carries no reports
        (TOM, False),  # teaches 4H
        (OLGA, False),
    ],
)
async def test_only_those_who_may_see_maja_get_her_picture(
    world: PictureWorld, user: int, allowed: bool
) -> None:
    actor = await resolve_actor(user)
    if allowed:
        assert (await profile_picture(actor, world.maja, now=NOW)).pupil_id == world.maja
    else:
        with pytest.raises(NotAllowed):
            await profile_picture(actor, world.maja, now=NOW)


async def test_a_full_year_costs_the_same_few_queries(
    world: PictureWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = await resolve_actor(AMIRA)
    with count_queries(monkeypatch) as few:
        await profile_picture(teacher, world.zainab, now=NOW)
    start = datetime(2026, 9, 3, 9, tzinfo=UTC)
    for day in range(0, 300, 3):
        for area in (Area.READING, Area.BEHAVIOUR):
            band = "expected" if area is Area.READING else "good"
            await record_assessment(
                teacher, world.zainab, area, band, now=start + timedelta(days=day)
            )
    with count_queries(monkeypatch) as many:
        picture = await profile_picture(teacher, world.zainab, now=NOW)
    assert picture.rows[0].bands[0] == "expected"
    assert many.count == few.count <= 5


def is_band_colour(colour: tuple[int, int, int]) -> bool:
    return any(
        sum(abs(a - b) for a, b in zip(colour, fill, strict=True)) < 40 for fill in BAND_FILLS
    )


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_picture_shows_each_band_in_its_cell_in_every_language(
    world: PictureWorld, locale: str
) -> None:
    picture = await maja_picture(world)
    drawing = draw_profile(picture, locale)
    image = Image.open(io.BytesIO(drawing.png)).convert("RGB")
    assert image.width == WIDTH
    assert 1200 < image.height < 3600
    cells = drawing.cells
    assert pixel(image, cells[(Area.READING, 0)]) == BAND_FILLS[1]  # working towards
    assert pixel(image, cells[(Area.READING, 2)]) == BAND_FILLS[2]  # expected standard
    assert pixel(image, cells[(Area.MATHS, 1)]) == BAND_FILLS[3]  # greater depth
    assert pixel(image, cells[(Area.BEHAVIOUR, 1)]) == BAND_FILLS[1]  # mixed
    for empty in ((Area.WRITING, 1), (Area.ATTENDANCE, 0), (Area.READING, 4)):
        colour = pixel(image, cells[empty])
        assert not is_band_colour(colour), (empty, colour)
        assert min(colour) > 190, (empty, colour)
    assert pixel(image, cells[(Area.READING, 4)]) == PAPER  # still to come: left blank
    # The expectation is an outline in its band's colour, white inside.
    left, top, _, bottom = cells[(Area.MATHS, 6)]
    middle = round((top + bottom) / 2)
    assert image.getpixel((round(left) + 2, middle)) == BAND_FILLS[3]
    assert image.getpixel((round(left) + 14, round(top) + 14)) == PAPER
    # Half-terms run in reading order: from the right in Urdu and Arabic.
    first, second = cells[(Area.READING, 0)], cells[(Area.READING, 1)]
    assert (first[0] > second[0]) == is_rtl(locale)


async def test_the_picture_stays_legible_at_the_size_telegram_shows_it(
    world: PictureWorld,
) -> None:
    drawing = draw_profile(await maja_picture(world), "pl")
    image = Image.open(io.BytesIO(drawing.png)).convert("RGB")
    scale = 480 / image.width
    phone = image.resize((480, round(image.height * scale)), Image.Resampling.LANCZOS)
    left, top, right, bottom = (v * scale for v in drawing.cells[(Area.READING, 2)])
    assert right - left >= 30  # a cell is still a thumb's width
    assert bottom - top >= 25
    inside = phone.getpixel((round(left) + 6, round(top) + 6))
    assert isinstance(inside, tuple)
    assert sum(abs(a - b) for a, b in zip(inside[:3], BAND_FILLS[2], strict=True)) < 30


def test_every_language_has_a_shipped_font_with_its_letters() -> None:
    letters = {"pl": "ąęłńóśźż", "ro": "ăâîșț", "uk": "ґєіїщ", "ur": "ٹڈڑںھہیے", "ar": "ةثذضظغ"}
    for locale in SHIPPED_LOCALES:
        family = fonts_for(locale)
        for path in (family.regular, family.bold):
            assert path.parent == FONTS_DIR
            assert path.exists()
            with TTFont(path, lazy=True) as font:
                cmap = font.getBestCmap()
            assert all(ord(ch) in cmap for ch in letters.get(locale, "abc")), (locale, path)
    assert fonts_for("ur").family == "NotoNastaliqUrdu"
    assert fonts_for("ar").family == "NotoNaskhArabic"
    assert [f.family for f in fallbacks_for("ur")] == [
        "NotoNastaliqUrdu",
        "NotoSans",
        "NotoNaskhArabic",
    ]
    assert (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1


def test_a_latin_name_keeps_its_order_inside_an_urdu_sentence() -> None:
    text = "Maja Kowalska کا پروفائل"
    levels = bidi_levels(text, rtl=True)
    assert levels[:13] == [2] * 13
    assert set(levels[14:]) == {1}
    # Displayed from the left: the Urdu words (reversed), then the name left to right.
    order = visual_order(levels)
    assert "".join(text[i] for i in order[-13:]) == "Maja Kowalska"
    face = Typeface("ur", 40)
    assert face.width(text) > face.width("کا پروفائل") > 0
    image = Image.new("RGB", (700, face.line_height), PAPER)
    face.draw(ImageDraw.Draw(image), (690, 0), text, (0, 0, 0))
    dark = [
        x for x in range(700) for y in range(face.line_height) if image.getpixel((x, y)) != PAPER
    ]
    assert max(dark) > 600  # right-aligned: the Urdu reaches the right edge


def test_drawing_refuses_to_run_without_text_shaping(monkeypatch: pytest.MonkeyPatch) -> None:
    real = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else real(name))
    with pytest.raises(ShapingUnavailable):
        shaping.require_raqm()


async def test_parents_get_the_picture_with_profile(
    bot: MentorApplication, emulator: BotApiEmulator, world: PictureWorld
) -> None:
    emulator.add_user(EWA, "Ewa")
    emulator.add_user(RESTRICTED, "Restricted")
    chat = emulator.chat(EWA)
    replies = await chat.send("/profile", expect=2)
    photo, words = replies[0], replies[1]
    assert photo.method == "sendPhoto"
    assert photo.photo is not None
    assert photo.caption is not None
    assert "Maja Kowalska" in photo.caption
    image = Image.open(io.BytesIO(photo.photo.data))
    assert image.format == "PNG"
    assert image.width == WIDTH
    assert words.text is not None
    assert "Maja Kowalska" in words.text
    await dialog(emulator.chat(RESTRICTED), [("/profile", "not shared any updates")])


async def test_a_teacher_gets_the_picture_from_the_mentoring_file(
    bot: MentorApplication, emulator: BotApiEmulator, world: PictureWorld
) -> None:
    emulator.add_user(AMIRA, "Amira")
    chat = emulator.chat(AMIRA)
    await dialog(chat, [("/pupil kowalska", "Maja Kowalska")])
    (photo,) = await chat.press("🖼 Profile picture")
    assert photo.photo is not None
    assert photo.caption is not None
    assert "Maja Kowalska" in photo.caption
    assert Image.open(io.BytesIO(photo.photo.data)).width == WIDTH
