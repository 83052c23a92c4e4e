"""How long the pictures take to draw: a full year's profile and a class of 30 on the grid.

Each picture is drawn in every shipped language from a full year of data (every area judged in
every half-term, five targets; thirty pupils on the grid), with the names changed on every run
so that no measured text was laid out before. The baseline is an empty white picture of the
same size encoded as PNG, in the same run; the ratio is picture time over baseline time. The
first drawing in the process (fonts loaded, coverage read) is reported apart.

With --example, it also draws the profile of Maja (the Polish family of the sandbox's demo
school, with the autumn's judgements added) for the README, and exits.

    python bench/pictures.py [--runs 20]
    python bench/pictures.py --example docs/profile-example.png [--locale pl]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from bot import database
from bot.documents.class_grid import class_grid_png
from bot.documents.profile_image import profile_png
from bot.i18n import SHIPPED_LOCALES
from bot.sandbox.demo import PEOPLE, build_demo_school
from models.assessment.assessing import record_assessment
from models.calendar.year_calendar import standard_half_terms
from models.common.enums import ATTAINMENT_AREAS, Area, YearGroup, bands_for, scale_for
from models.people.access import resolve_actor
from models.people.tables import Pupil
from models.records.class_grid import ClassGrid, GridCell, GridRow
from models.records.profile_picture import AreaRow, ProfilePicture, ProfileTarget, profile_picture
from models.targets.content import bank_targets, home_ideas
from models.targets.targeting import set_target

YEAR = "2026-27"
FIRST_NAMES = ("Maja", "Zainab", "Lily", "Ștefan", "Олена", "Kacper", "Oliver", "Amelia", "Yusuf")
LAST_NAMES = ("Kowalska", "Hussain", "Carter", "Popescu", "Коваленко", "Wiśniewski", "Smith")


def full_profile(run: int) -> ProfilePicture:
    spans = standard_half_terms(YEAR)
    rows = tuple(
        AreaRow(
            area,
            tuple(bands_for(scale_for(area))[(run + n + i) % 4] for i in range(len(spans))),
            "expected" if area in ATTAINMENT_AREAS else None,
        )
        for n, area in enumerate(Area)
    )
    targets = tuple(
        ProfileTarget(
            area,
            f"Target {run}-{n}: reads aloud with expression, pausing at full stops and commas",
            f"Read a page together every evening, run {run}",
        )
        for n, area in enumerate(list(Area)[:5])
    )
    return ProfilePicture(
        pupil_id=run,
        name=f"{FIRST_NAMES[run % 9]} {LAST_NAMES[run % 7]} {run}",
        class_name="3B",
        school_name="Oakfield Primary",
        today=date(2027, 7, 15),
        academic_year=YEAR,
        half_terms=spans,
        current=5,
        rows=rows,
        targets=targets,
    )


def full_grid(run: int) -> ClassGrid:
    rows = []
    for n in range(30):
        cells = []
        for i, area in enumerate(Area):
            bands = bands_for(scale_for(area))
            band = None if (n + i + run) % 9 == 0 else bands[(n * 3 + i + run) % 4]
            expected = bands[2] if area in ATTAINMENT_AREAS else None
            behind = band is not None and expected is not None and bands.index(band) < 2
            cells.append(GridCell(band, expected, behind))
        name = f"{FIRST_NAMES[n % 9]} {LAST_NAMES[(n + run) % 7]} {run}"
        rows.append(GridRow(n, name, tuple(cells)))
    spans = standard_half_terms(YEAR)
    return ClassGrid(
        1, "3B", "Oakfield Primary", date(2027, 1, 20), spans[2], tuple(Area), tuple(rows)
    )


def empty_png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def timed(draw: Callable[[], bytes]) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = draw()
    return time.perf_counter() - start, data


def measure(name: str, draw: Callable[[int, str], bytes], runs: int) -> None:
    print(f"\n{name}")
    print(f"{'locale':8}{'size':>12}{'median ms':>11}{'max ms':>9}{'empty ms':>10}{'ratio':>8}")
    for locale in SHIPPED_LOCALES:
        times, baseline, size = [], [], (0, 0)
        for run in range(1, runs + 1):
            seconds, data = timed(lambda run=run, locale=locale: draw(run, locale))
            times.append(seconds)
            size = Image.open(io.BytesIO(data)).size
            baseline.append(timed(lambda size=size: empty_png(size))[0])
        median, empty = statistics.median(times), statistics.median(baseline)
        print(
            f"{locale:8}{size[0]:>5}x{size[1]:<6}{median * 1000:>11.1f}{max(times) * 1000:>9.1f}"
            f"{empty * 1000:>10.1f}{median / empty:>8.1f}"
        )


EXAMPLE_NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # spring, half-term 4
AUTUMN = (  # Maja's autumn in the demo school: (day, area, band)
    (date(2026, 10, 8), Area.READING, "towards"),
    (date(2026, 10, 8), Area.WRITING, "below"),
    (date(2026, 10, 8), Area.MATHS, "expected"),
    (date(2026, 10, 8), Area.ATTITUDE, "good"),
    (date(2026, 10, 8), Area.BEHAVIOUR, "mixed"),
    (date(2026, 12, 3), Area.READING, "towards"),
    (date(2026, 12, 3), Area.WRITING, "towards"),
    (date(2026, 12, 3), Area.MATHS, "greater_depth"),
    (date(2026, 12, 3), Area.ATTITUDE, "excellent"),
    (date(2026, 12, 3), Area.BEHAVIOUR, "good"),
)


async def example_picture() -> ProfilePicture:
    """The demo school's Maja, as her Polish mother sees her on /profile."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/example.sqlite3"
        await database.migrate(url)
        await database.connect(url)
        try:
            await build_demo_school(EXAMPLE_NOW)
            teacher = next(p for p in PEOPLE if p.external_id == "ST02")
            mother = next(p for p in PEOPLE if p.external_id == "C001")
            maja = await Pupil.get(external_id="P001")
            amira = await resolve_actor(teacher.user_id)
            for day, area, band in AUTUMN:
                moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
                await record_assessment(amira, maja.id, area, band, now=moment)
            for area in (Area.READING, Area.WRITING):  # from the bank, so they are translated
                year = YearGroup(maja.year_group)
                text, idea = bank_targets(area, year)[0], home_ideas(area, year)[0]
                await set_target(amira, maja.id, area, text, idea, now=EXAMPLE_NOW)
            actor = await resolve_actor(mother.user_id)
            return await profile_picture(actor, maja.id, now=EXAMPLE_NOW)
        finally:
            await database.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--example", type=Path, help="write the README's example profile here")
    parser.add_argument("--locale", default="pl")
    args = parser.parse_args()
    if args.example:
        args.example.write_bytes(profile_png(asyncio.run(example_picture()), args.locale))
        print(f"wrote {args.example}")
        return
    cold, _ = timed(lambda: profile_png(full_profile(0), "ur"))
    print(f"first drawing in the process (Urdu profile, fonts loading): {cold * 1000:.0f} ms")
    measure(
        "Profile, a full year",
        lambda run, locale: profile_png(full_profile(run), locale),
        args.runs,
    )
    measure(
        "Class grid, 30 pupils",
        lambda run, locale: class_grid_png(full_grid(run), locale),
        args.runs,
    )


if __name__ == "__main__":
    main()
