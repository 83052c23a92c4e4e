"""The term calendar: set by senior leaders in the domain, from a CSV file and in chat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from handlers.common import callback_data
from models import AuditEntry, HalfTerm, School
from models.calendar.term_calendar import (
    HalfTermDates,
    InvalidCalendar,
    calendar_problems,
    change_half_term,
    check_half_term,
    current_half_term,
    half_term_for,
    half_terms_of,
    next_half_term,
    set_half_terms,
)
from models.calendar.terms_import import import_terms
from models.common.enums import Role
from models.common.errors import NotAllowed
from models.imports import ImportInvalid
from models.people.access import resolve_actor
from tests.app.test_cli import ROOT, run_cli
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

YEAR = "2026-27"
EXAMPLE = ROOT / "examples" / "terms-2026-27.csv"
HEAD, TEACHER, ASSISTANT, PARENT, STRANGER, OTHER_HEAD = 101, 103, 104, 301, 999, 901
ENGLISH_2026_27 = (
    HalfTermDates(1, date(2026, 9, 3), date(2026, 10, 23)),
    HalfTermDates(2, date(2026, 11, 2), date(2026, 12, 18)),
    HalfTermDates(3, date(2027, 1, 4), date(2027, 2, 12)),
    HalfTermDates(4, date(2027, 2, 22), date(2027, 3, 25)),
    HalfTermDates(5, date(2027, 4, 12), date(2027, 5, 28)),
    HalfTermDates(6, date(2027, 6, 7), date(2027, 7, 21)),
)
HEADER = "academic_year,half_term,starts_on,ends_on\n"


def csv_rows(spans: tuple[HalfTermDates, ...] = ENGLISH_2026_27, year: str = YEAR) -> str:
    return "".join(f"{year},{s.number},{s.starts_on},{s.ends_on}\n" for s in spans)


@pytest.fixture
async def school(db: str) -> School:
    """Oakfield with its head, a teacher, an assistant and a parent; Elm with its own head."""
    oakfield = await make_school()
    c3 = await make_class(oakfield, "3B")
    maja = await make_pupil(oakfield, c3, "P1")
    await make_staff(oakfield, "H1", Role.ADMIN, first_name="Helen", telegram_user_id=HEAD)
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "A3", Role.ASSISTANT, (c3,), telegram_user_id=ASSISTANT)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT)
    elm = await make_school("Elm Primary")
    await make_staff(elm, "H9", Role.ADMIN, telegram_user_id=OTHER_HEAD)
    return oakfield


async def stored(school_id: int | None = None) -> list[tuple[int, date, date]]:
    rows = HalfTerm.all() if school_id is None else HalfTerm.filter(school_id=school_id)
    return list(await rows.order_by("number").values_list("number", "starts_on", "ends_on"))


async def set_english_year(user: int = HEAD) -> None:
    await set_half_terms(await resolve_actor(user), YEAR, ENGLISH_2026_27)


# The domain


async def test_a_leader_sets_the_year_and_it_is_audited_by_ids_only(school: School) -> None:
    change = await set_half_terms(await resolve_actor(HEAD), YEAR, ENGLISH_2026_27)
    assert (change.created, change.updated, change.unchanged) == (6, 0, 0)
    assert await stored() == [(s.number, s.starts_on, s.ends_on) for s in ENGLISH_2026_27]
    audit = await AuditEntry.get(action="term_calendar_set")
    assert (audit.actor_kind, audit.subject_kind, audit.subject_id) == (
        "staff",
        "school",
        school.id,
    )
    assert audit.details == {"academic_year": YEAR, "half_terms": [1, 2, 3, 4, 5, 6]}


async def test_setting_again_changes_rows_in_place_and_audits_only_changes(school: School) -> None:
    await set_english_year()
    ids = await HalfTerm.all().order_by("number").values_list("id", flat=True)
    same = await set_half_terms(await resolve_actor(HEAD), YEAR, ENGLISH_2026_27)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 6)
    assert await AuditEntry.filter(action="term_calendar_set").count() == 1
    moved = (*ENGLISH_2026_27[:5], HalfTermDates(6, date(2027, 6, 7), date(2027, 7, 22)))
    change = await set_half_terms(await resolve_actor(HEAD), YEAR, moved)
    assert (change.created, change.updated, change.unchanged) == (0, 1, 5)
    assert await HalfTerm.all().order_by("number").values_list("id", flat=True) == ids
    last = await AuditEntry.filter(action="term_calendar_set").order_by("-id").first()
    assert last is not None
    assert last.details == {"academic_year": YEAR, "half_terms": [6]}


def _replace(number: int, starts_on: date, ends_on: date) -> tuple[HalfTermDates, ...]:
    return tuple(
        HalfTermDates(number, starts_on, ends_on) if s.number == number else s
        for s in ENGLISH_2026_27
    )


@pytest.mark.parametrize(
    ("spans", "year", "fragment", "params"),
    [
        (ENGLISH_2026_27[:5], YEAR, "is missing", {"number": "6", "year": YEAR}),
        (
            (*ENGLISH_2026_27, HalfTermDates(7, date(2027, 7, 26), date(2027, 7, 30))),
            YEAR,
            "is not a half-term number",
            {"value": "7"},
        ),
        (
            (*ENGLISH_2026_27[:5], ENGLISH_2026_27[4]),
            YEAR,
            "listed more than once",
            {"number": "5", "year": YEAR},
        ),
        (
            _replace(3, date(2027, 2, 12), date(2027, 1, 4)),
            YEAR,
            "must end on or after the day it starts",
            {"number": "3"},
        ),
        (
            _replace(2, date(2026, 10, 23), date(2026, 12, 18)),
            YEAR,
            "must start after half-term {previous} ends",
            {"number": "2", "previous": "1", "day": "2026-10-23"},
        ),
        (
            _replace(1, date(2026, 7, 31), date(2026, 10, 23)),
            YEAR,
            "must lie between {first} and {last}",
            {"number": "1", "first": "2026-08-01", "last": "2027-08-31"},
        ),
        (
            _replace(6, date(2027, 6, 7), date(2027, 9, 1)),
            YEAR,
            "must lie between {first} and {last}",
            {"number": "6", "first": "2026-08-01", "last": "2027-08-31"},
        ),
        (ENGLISH_2026_27, "2026-28", "is not an academic year", {"value": "2026-28"}),
        (ENGLISH_2026_27, "2026/27", "is not an academic year", {"value": "2026/27"}),
    ],
)
async def test_an_invalid_calendar_is_refused_with_a_clear_message_and_nothing_stored(
    school: School,
    spans: tuple[HalfTermDates, ...],
    year: str,
    fragment: str,
    params: dict[str, str],
) -> None:
    with pytest.raises(InvalidCalendar) as caught:
        await set_half_terms(await resolve_actor(HEAD), year, spans)
    assert fragment in caught.value.message
    assert caught.value.params == params
    assert await HalfTerm.all().count() == 0
    assert await AuditEntry.all().count() == 0


def test_out_of_order_half_terms_are_each_named() -> None:
    spans = list(reversed(ENGLISH_2026_27))  # given in any order: numbers decide the order
    assert calendar_problems(YEAR, spans) == []
    swapped = list(ENGLISH_2026_27)
    swapped[2] = HalfTermDates(3, date(2027, 2, 22), date(2027, 3, 25))
    swapped[3] = HalfTermDates(4, date(2027, 1, 4), date(2027, 2, 12))
    problems = calendar_problems(YEAR, swapped)
    assert [(p.index, p.column, p.params["number"]) for p in problems] == [(3, "starts_on", "4")]


@pytest.mark.parametrize("user", [TEACHER, ASSISTANT, PARENT, STRANGER])
async def test_only_senior_leaders_set_or_change_term_dates(school: School, user: int) -> None:
    actor = await resolve_actor(user)
    with pytest.raises(NotAllowed):
        await set_half_terms(actor, YEAR, ENGLISH_2026_27)
    with pytest.raises(NotAllowed):
        await change_half_term(actor, YEAR, 1, date(2026, 9, 2), date(2026, 10, 23))
    with pytest.raises(NotAllowed):
        await check_half_term(actor, YEAR, 1, date(2026, 9, 2), date(2026, 10, 23))
    assert await HalfTerm.all().count() == 0


@pytest.mark.parametrize(("user", "allowed"), [(TEACHER, True), (PARENT, False), (STRANGER, False)])
async def test_staff_read_the_calendar_and_families_do_not(
    school: School, user: int, allowed: bool
) -> None:
    await set_english_year()
    actor = await resolve_actor(user)
    if allowed:
        assert [v.number for v in await half_terms_of(actor, YEAR)] == [1, 2, 3, 4, 5, 6]
    else:
        with pytest.raises(NotAllowed):
            await half_terms_of(actor, YEAR)


async def test_each_school_keeps_its_own_calendar(school: School) -> None:
    await set_english_year(OTHER_HEAD)
    assert await stored(school.id) == []
    await set_english_year()
    assert len(await stored(school.id)) == 6
    assert await HalfTerm.all().count() == 12


async def test_a_leader_changes_one_half_term_checked_against_its_neighbours(
    school: School,
) -> None:
    await set_english_year()
    head = await resolve_actor(HEAD)
    with pytest.raises(InvalidCalendar) as caught:
        await change_half_term(head, YEAR, 1, date(2026, 9, 3), date(2026, 11, 2))
    assert caught.value.params == {"number": "2", "previous": "1", "day": "2026-11-02"}
    view = await change_half_term(head, YEAR, 1, date(2026, 9, 2), date(2026, 10, 23))
    assert (view.number, view.starts_on) == (1, date(2026, 9, 2))
    audit = await AuditEntry.get(action="half_term_changed")
    assert (audit.subject_kind, audit.subject_id) == ("half_term", view.half_term_id)
    assert audit.details == {"academic_year": YEAR, "number": 1}
    await change_half_term(head, YEAR, 1, date(2026, 9, 2), date(2026, 10, 23))  # no change
    assert await AuditEntry.filter(action="half_term_changed").count() == 1


async def test_without_a_calendar_a_leader_sets_half_terms_one_by_one(school: School) -> None:
    head = await resolve_actor(HEAD)
    await change_half_term(head, "2027-28", 2, date(2027, 11, 1), date(2027, 12, 17))
    with pytest.raises(InvalidCalendar):  # half-term 1 must end before half-term 2 starts
        await change_half_term(head, "2027-28", 1, date(2027, 9, 2), date(2027, 11, 1))
    await change_half_term(head, "2027-28", 1, date(2027, 9, 2), date(2027, 10, 22))
    assert [v.number for v in await half_terms_of(head, "2027-28")] == [1, 2]


@pytest.mark.parametrize(
    ("day", "current", "counts_towards"),
    [
        (date(2026, 9, 1), None, None),  # before the first day of the year
        (date(2026, 9, 3), 1, 1),
        (date(2026, 10, 27), None, 1),  # the October holiday counts with autumn 1
        (date(2026, 12, 18), 2, 2),
        (date(2027, 4, 1), None, 4),  # Easter
        (date(2027, 8, 31), None, 6),  # the summer holiday, to the end of the year
        (date(2027, 9, 1), None, None),  # a new year with no calendar yet
    ],
)
async def test_the_half_term_of_a_day(
    school: School, day: date, current: int | None, counts_towards: int | None
) -> None:
    await set_english_year()
    found = await current_half_term(school, on=day)
    assert (found.number if found else None) == current
    towards = await half_term_for(school.id, on=day)
    assert (towards.number if towards else None) == counts_towards


async def test_the_next_half_term_may_be_in_the_next_year(school: School) -> None:
    await set_english_year()
    autumn = await current_half_term(school, on=date(2026, 10, 1))
    assert autumn is not None
    spring = await next_half_term(autumn)
    assert spring is not None
    assert spring.number == 2
    summer = await current_half_term(school, on=date(2027, 7, 1))
    assert summer is not None
    assert await next_half_term(summer) is None
    await change_half_term(
        await resolve_actor(HEAD), "2027-28", 1, date(2027, 9, 2), date(2027, 10, 22)
    )
    following = await next_half_term(summer)
    assert following is not None
    assert following.academic_year == "2027-28"


# The CSV import


def write(tmp_path: Path, text: str, name: str = "terms.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


async def test_the_example_file_is_the_english_year_2026_27(school: School) -> None:
    report = await import_terms(school, EXAMPLE)
    assert (report.years, report.created, report.updated, report.unchanged) == ((YEAR,), 6, 0, 0)
    assert await stored(school.id) == [(s.number, s.starts_on, s.ends_on) for s in ENGLISH_2026_27]
    # Term starts on a Thursday, and half-terms end on Fridays except before Easter and summer.
    weekdays = [(start.weekday(), end.weekday()) for _, start, end in await stored()]
    assert weekdays == [(3, 4), (0, 4), (0, 4), (0, 3), (0, 4), (0, 2)]
    audit = await AuditEntry.get(action="term_calendar_set")
    assert (audit.actor_kind, audit.actor_id) == ("system", None)


async def test_an_import_replaces_the_year_in_place(school: School, tmp_path: Path) -> None:
    await import_terms(school, EXAMPLE)
    ids = await HalfTerm.all().order_by("number").values_list("id", flat=True)
    moved = _replace(1, date(2026, 9, 2), date(2026, 10, 23))
    text = "\ufeffAcademic Year,Half Term,Starts On,ENDS_ON,Note\r\n" + csv_rows(moved).replace(
        "\n", ",x\r\n"
    )
    report = await import_terms(school, write(tmp_path, text))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    assert await HalfTerm.all().order_by("number").values_list("id", flat=True) == ids
    assert (await stored())[0] == (1, date(2026, 9, 2), date(2026, 10, 23))


async def test_a_file_may_hold_two_years(school: School, tmp_path: Path) -> None:
    next_year = tuple(
        HalfTermDates(
            s.number,
            s.starts_on.replace(year=s.starts_on.year + 1),
            s.ends_on.replace(year=s.ends_on.year + 1),
        )
        for s in ENGLISH_2026_27
    )
    text = HEADER + csv_rows() + csv_rows(next_year, "2027-28")
    report = await import_terms(school, write(tmp_path, text))
    assert (report.years, report.created) == ((YEAR, "2027-28"), 12)


@pytest.mark.parametrize(
    ("line", "cell", "column", "fragment"),
    [
        (3, "2026-27,2,2026-11-31,2026-12-18", "starts_on", "is not a date"),
        (3, "2026-27,2,2/11/2026,2026-12-18", "starts_on", "is not a date"),
        (3, "2026-27,2,2026-11-02,", "ends_on", "must not be empty"),
        (3, "2026-27,two,2026-11-02,2026-12-18", "half_term", "is not a whole number"),
        (3, "2026-27,9,2026-11-02,2026-12-18", "half_term", "is not a half-term number"),
        (3, "2026/27,2,2026-11-02,2026-12-18", "academic_year", "is not an academic year"),
        (3, "2026-27,2,2026-10-20,2026-12-18", "starts_on", "must start after half-term"),
        (3, "2026-27,2,2026-12-18,2026-11-02", "ends_on", "must end on or after"),
        (7, "2026-27,6,2027-06-07,2027-09-03", "ends_on", "must lie between"),
    ],
)
async def test_each_problem_names_its_line_and_column_and_nothing_changes(
    school: School, tmp_path: Path, line: int, cell: str, column: str, fragment: str
) -> None:
    await import_terms(school, EXAMPLE)
    before = await stored()
    rows = csv_rows().splitlines()
    rows[line - 2] = cell
    with pytest.raises(ImportInvalid) as caught:
        await import_terms(school, write(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert [(p.file, p.line, p.column) for p in caught.value.problems] == [
        ("terms.csv", line, column)
    ]
    assert fragment in caught.value.problems[0].message
    assert await stored() == before
    assert await AuditEntry.filter(action="term_calendar_set").count() == 1


async def test_a_missing_half_term_names_the_file_and_a_duplicate_its_line(
    school: School, tmp_path: Path
) -> None:
    rows = csv_rows().splitlines()
    with pytest.raises(ImportInvalid) as caught:
        await import_terms(school, write(tmp_path, HEADER + "\n".join(rows[:5]) + "\n"))
    assert [(p.line, p.column, p.params) for p in caught.value.problems] == [
        (0, "half_term", {"number": "6", "year": YEAR})
    ]
    text = HEADER + "\n".join([*rows[:3], rows[2], *rows[4:]]) + "\n"
    with pytest.raises(ImportInvalid) as caught:
        await import_terms(school, write(tmp_path, text))
    assert [(p.line, p.column, p.params) for p in caught.value.problems] == [
        (5, "half_term", {"number": "3", "year": YEAR})
    ]
    assert await HalfTerm.all().count() == 0


async def test_one_bad_year_stops_the_other_too(school: School, tmp_path: Path) -> None:
    text = HEADER + csv_rows() + "2027-28,1,2027-09-02,2027-10-22\n"
    with pytest.raises(ImportInvalid) as caught:
        await import_terms(school, write(tmp_path, text))
    assert {p.params.get("year") for p in caught.value.problems} == {"2027-28"}
    assert await HalfTerm.all().count() == 0


def test_the_command_line_prints_counts_or_problems(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    result = run_cli("terms", "import", str(EXAMPLE), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Term dates for 2026-27: 6 half-terms added, 0 changed, 0 unchanged." in result.stdout
    rows = csv_rows().splitlines()
    rows[1] = "2026-27,2,2026-10-01,2026-12-18"
    bad = write(tmp_path, HEADER + "\n".join(rows) + "\n", "b.csv")
    result = run_cli("terms", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr
    assert (
        "b.csv, line 3, column starts_on: Half-term 2 must start after half-term 1 ends "
        "(2026-10-23)." in result.stderr
    )
    again = run_cli("terms", "import", str(EXAMPLE), env=env, cwd=tmp_path)
    assert "0 half-terms added, 0 changed, 6 unchanged." in again.stdout


# In chat


async def test_a_leader_changes_a_half_term_in_chat_after_a_mistake(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    await import_terms(school, EXAMPLE)
    emulator.add_user(HEAD, "Helen")
    await dialog(
        emulator.chat(HEAD),
        [
            (
                f"/terms {YEAR}",
                [
                    "Term dates 2026-27",
                    "1. Autumn 1: Thu 3 Sep – Fri 23 Oct 2026",
                    "4. Spring 2: Mon 22 Feb – Thu 25 Mar 2027",
                ],
            ),
            ("[✏️ Autumn 1]", ["Autumn 1 2026-27: Thu 3 Sep – Fri 23 Oct 2026", "2026-09-03"]),
            ("soon", "I couldn't read those dates."),
            ("2026-09-02 2026-11-03", "Half-term 2 must start after half-term 1 ends"),
            ("31/8/2026 – 23/10/2026", "Save these dates?"),
            ("2/9/2026 – 23/10/2026", "Wednesday 2 September 2026 – Friday 23 October 2026"),
        ],
    )
    saved, calendar = await emulator.chat(HEAD).press("✅ Save", expect=2)
    assert "Autumn 1 2026-27: Wed 2 Sep – Fri 23 Oct 2026, saved." in (saved.text or "")
    assert "1. Autumn 1: Wed 2 Sep – Fri 23 Oct 2026" in (calendar.text or "")
    assert (await stored())[0] == (1, date(2026, 9, 2), date(2026, 10, 23))
    assert await AuditEntry.filter(action="half_term_changed").count() == 1


async def test_cancel_changes_nothing_and_the_flow_is_over(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    await import_terms(school, EXAMPLE)
    emulator.add_user(HEAD, "Helen")
    chat = emulator.chat(HEAD)
    await dialog(
        chat,
        [
            (f"/terms {YEAR}", "Term dates"),
            ("[✏️ Summer 2]", "Summer 2 2026-27"),
            ("7/6 – 16/7", "Monday 7 June 2027 – Friday 16 July 2027"),
            ("[✖️ Cancel]", "Nothing was changed."),
        ],
    )
    assert (await stored())[5] == (6, date(2027, 6, 7), date(2027, 7, 21))
    (message,) = await chat.send("2027-06-07 2027-07-16")  # no flow waits for it now
    assert "Save these dates?" not in (message.text or "")


async def test_without_a_calendar_the_leader_is_told_how_to_set_one(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    emulator.add_user(HEAD, "Helen")
    await dialog(
        emulator.chat(HEAD),
        [
            (
                "/terms 2027-28",
                ["1. Autumn 1: not set", "No term dates are set for 2027-28 yet.", "terms import"],
            ),
            ("[✏️ Autumn 2]", "Type the first and last day"),
            ("1/11 – 17/12", "Monday 1 November 2027 – Friday 17 December 2027"),
        ],
    )
    chat = emulator.chat(HEAD)
    _saved, calendar = await chat.press("✅ Save", expect=2)
    assert "2. Autumn 2: Mon 1 Nov – Fri 17 Dec 2027" in (calendar.text or "")
    assert "1. Autumn 1: not set" in (calendar.text or "")
    await dialog(chat, [("/terms 2027", "2027 is not an academic year such as 2026-27.")])


async def test_teachers_see_the_dates_and_parents_are_refused(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    await import_terms(school, EXAMPLE)
    emulator.add_user(TEACHER, "Amira")
    emulator.add_user(PARENT, "Ewa")
    teacher = emulator.chat(TEACHER)
    await dialog(teacher, [(f"/terms {YEAR}", "6. Summer 2: Mon 7 Jun – Wed 21 Jul 2027")])
    assert teacher.messages[-1].buttons == []
    await dialog(emulator.chat(PARENT), [("/terms", "This command is for school staff.")])


async def test_a_teachers_forged_button_changes_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    await import_terms(school, EXAMPLE)
    emulator.add_user(TEACHER, "Amira")
    (hello,) = await emulator.chat(TEACHER).send("/terms")
    data = callback_data.encode("htp", YEAR, 1)
    query_id = await emulator.press_button(TEACHER, TEACHER, hello.message_id, data, forged=True)
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert emulator.callback_answers[query_id][0] == NotAllowed.message
    assert await AuditEntry.filter(action="half_term_changed").count() == 0


async def test_the_demo_school_has_the_example_calendar(db: str) -> None:
    from bot.sandbox.demo import build_demo_school

    demo = await build_demo_school(datetime(2026, 11, 24, 9, tzinfo=UTC))
    assert await stored(demo.school_id) == [
        (s.number, s.starts_on, s.ends_on) for s in ENGLISH_2026_27
    ]
