"""The class grid: latest bands this half-term, who is behind, who may see it, in every language."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.app import MentorApplication
from bot.documents.canvas import ALERT, ALERT_TINT, BAND_FILLS, PAPER
from bot.documents.class_grid import WIDTH, draw_class_grid
from bot.emulator import BotApiEmulator
from bot.i18n import SHIPPED_LOCALES
from models import Pupil, SchoolClass
from models.assessment.assessing import record_assessment
from models.common.enums import Area, Role, YearGroup
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from models.records.class_grid import ClassGrid, class_grid
from tests.factories import make_school, make_staff
from tests.harness import dialog
from tests.querycount import count_queries
from tests.records.picture_world import (
    AMIRA,
    ASSISTANT,
    EWA,
    HEAD,
    NOW,
    OLGA,
    TOM,
    PictureWorld,
    build_world,
    pixel,
)

AREAS = list(Area)


@pytest.fixture
async def world(db: str) -> PictureWorld:
    return await build_world()


async def grid_3b(world: PictureWorld) -> ClassGrid:
    return await class_grid(await resolve_actor(AMIRA), world.c3, now=NOW)


async def test_the_grid_shows_this_half_terms_bands_and_who_is_behind(
    world: PictureWorld,
) -> None:
    grid = await grid_3b(world)
    assert (grid.class_name, grid.school_name, grid.half_term.number) == (
        "3B",
        "Oakfield Primary",
        3,
    )
    assert [row.name for row in grid.rows] == ["Lily Carter", "Zainab Hussain", "Maja Kowalska"]
    lily, zainab, maja = grid.rows
    bands = {area: cell.band for area, cell in zip(AREAS, maja.cells, strict=True)}
    assert bands[Area.READING] == "expected"
    assert bands[Area.WRITING] == "towards"
    assert bands[Area.MATHS] is None  # judged last half-term only
    assert bands[Area.ATTITUDE] is None  # the child's own view is not shown
    assert bands[Area.BEHAVIOUR] == "good"
    # Maja is behind in writing only; Zainab in maths; Lily, judged only last half-term, in reading.
    assert [a for a, c in zip(AREAS, maja.cells, strict=True) if c.behind] == [Area.WRITING]
    assert [a for a, c in zip(AREAS, zainab.cells, strict=True) if c.behind] == [Area.MATHS]
    assert all(cell.band is None for cell in lily.cells)
    assert lily.cells[AREAS.index(Area.READING)].behind
    assert lily.behind


@pytest.mark.parametrize(
    ("user", "allowed"),
    [(AMIRA, True), (ASSISTANT, True), (HEAD, True), (TOM, False), (EWA, False)],
)
async def test_only_the_class_staff_and_senior_leaders_see_a_grid(
    world: PictureWorld, user: int, allowed: bool
) -> None:
    actor = await resolve_actor(user)
    if allowed:
        assert (await class_grid(actor, world.c3, now=NOW)).class_id == world.c3
    else:
        with pytest.raises(NotAllowed):
            await class_grid(actor, world.c3, now=NOW)


async def test_a_head_of_another_school_sees_nothing(world: PictureWorld) -> None:
    elsewhere = await make_school("Elm Grove Primary")
    await make_staff(elsewhere, "H2", Role.ADMIN, telegram_user_id=900)
    with pytest.raises(NotAllowed):
        await class_grid(await resolve_actor(900), world.c3, now=NOW)


async def test_a_bigger_class_costs_the_same_few_queries(
    world: PictureWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = await resolve_actor(HEAD)
    with count_queries(monkeypatch) as few:
        await class_grid(head, world.c4, now=NOW)
    c4 = await SchoolClass.get(id=world.c4)
    start = datetime(2027, 1, 6, 9, tzinfo=UTC)
    for n in range(12):
        extra = await Pupil.create(
            school_id=world.school,
            external_id=f"X{n}",
            first_name=f"Pupil{n}",
            last_name="Extra",
            year_group=YearGroup.Y4,
            school_class=c4,
        )
        for day in range(3):
            await record_assessment(
                head, extra.id, Area.MATHS, "expected", now=start + timedelta(days=day)
            )
    with count_queries(monkeypatch) as many:
        grid = await class_grid(head, world.c4, now=NOW)
    assert len(grid.rows) == 13
    assert many.count == few.count <= 5


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_grid_colours_cells_and_marks_who_is_behind_in_every_language(
    world: PictureWorld, locale: str
) -> None:
    drawing = draw_class_grid(await grid_3b(world), locale)
    image = Image.open(io.BytesIO(drawing.png)).convert("RGB")
    assert image.width == WIDTH
    assert 900 < image.height < 2600
    reading, maths = AREAS.index(Area.READING), AREAS.index(Area.MATHS)
    organisation = AREAS.index(Area.ORGANISATION)
    assert pixel(image, drawing.cells[(world.maja, reading)]) == BAND_FILLS[2]
    assert pixel(image, drawing.cells[(world.zainab, reading)]) == BAND_FILLS[3]
    assert pixel(image, drawing.cells[(world.zainab, organisation)]) == BAND_FILLS[3]
    # Judged last half-term only: an empty cell, not the old colour.
    for empty in ((world.maja, maths), (world.lily, reading)):
        colour = pixel(image, drawing.cells[empty])
        assert colour not in BAND_FILLS, (empty, colour)
        assert min(colour) > 190, (empty, colour)
    # Behind: a tinted row with a marker at its start. Everyone in 3B is behind somewhere.
    for pupil_id in (world.maja, world.zainab, world.lily):
        left, top, right, _ = drawing.rows[pupil_id]
        start = right - 3 if locale in ("ar", "ur") else left + 3
        assert image.getpixel((round(start), round(top) + 4)) == ALERT_TINT
        marker = drawing.markers[pupil_id]
        centre = (round((marker[0] + marker[2]) / 2), round(marker[1] + 6))
        assert image.getpixel(centre) == ALERT


async def test_a_pupil_on_track_is_not_highlighted(world: PictureWorld) -> None:
    drawing = draw_class_grid(await class_grid(await resolve_actor(TOM), world.c4, now=NOW), "en")
    image = Image.open(io.BytesIO(drawing.png)).convert("RGB")
    left, top, _, _ = drawing.rows[world.jan]
    assert image.getpixel((round(left) + 3, round(top) + 4)) == PAPER
    assert world.jan not in drawing.markers
    assert pixel(image, drawing.cells[(world.jan, AREAS.index(Area.MATHS))]) == BAND_FILLS[2]


async def test_a_teacher_with_one_class_gets_its_grid(
    bot: MentorApplication, emulator: BotApiEmulator, world: PictureWorld
) -> None:
    emulator.add_user(AMIRA, "Amira")
    (photo,) = await emulator.chat(AMIRA).send("/grid")
    assert photo.photo is not None
    assert photo.caption is not None
    assert "3B" in photo.caption
    assert Image.open(io.BytesIO(photo.photo.data)).width == WIDTH


async def test_a_head_picks_the_class_and_parents_are_turned_away(
    bot: MentorApplication, emulator: BotApiEmulator, world: PictureWorld
) -> None:
    emulator.add_user(HEAD, "Helen")
    emulator.add_user(OLGA, "Olga")
    chat = emulator.chat(HEAD)
    await dialog(chat, [("/grid", "The grid of which class?")])
    (photo,) = await chat.press("4H")
    assert photo.photo is not None
    assert photo.caption is not None
    assert "4H" in photo.caption
    await dialog(emulator.chat(OLGA), [("/grid", "for school staff")])
