"""`mentorbot` command line: run, sandbox, migrate, imports, invites."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot import database
from bot.config import Settings, get_settings
from bot.i18n import _, use_locale
from bot.logs import configure_logging
from models.announcements.templates import TemplatesReport, import_templates
from models.assessment.expectations_import import ExpectationsReport, import_expectations
from models.calendar.school import School
from models.calendar.schools import ensure_school
from models.calendar.terms_import import TermsReport, import_terms
from models.common import clock
from models.common.errors import N_
from models.imports import ImportInvalid, Problem
from models.meetings.rounds_import import RoundsReport, import_rounds
from models.people.invite_letters import class_named, issue_invites, write_invites_csv
from models.people.roster import RosterReport, import_roster

# The commands that are the bot itself keep its logs; the others print their result alone.
SERVING = frozenset({"run", "sandbox"})
VERBOSE = ("-v", "--verbose")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; returns the exit status."""
    parser = _parser()
    given = list(sys.argv[1:] if argv is None else argv)
    # --verbose is accepted before or after the command's name.
    args = parser.parse_args(
        [a for a in given if a in VERBOSE] + [a for a in given if a not in VERBOSE]
    )
    try:
        settings = get_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        print(f"Configuration error: {problems}", file=sys.stderr)
        return 2
    secrets = [settings.token or "", settings.webhook_token or ""]
    if args.command in SERVING or args.verbose:
        configure_logging(settings.log_level, secrets)
    else:
        configure_logging("WARNING", secrets)
        logging.getLogger("fontTools").setLevel(logging.ERROR)  # font subsetting's chatter
    with use_locale(settings.default_locale):
        return int(args.handler(settings, args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentorbot", description="Mentorbot: school mentoring on Telegram"
    )
    parser.add_argument(
        *VERBOSE,
        action="store_true",
        help="also print log lines (commands other than run and sandbox print only their result)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="run the bot (long polling); without a token, the local sandbox"
    )
    _sandbox_options(run, "without TELEGRAM_BOT_TOKEN: the sandbox page's")
    run.set_defaults(handler=_run)
    sandbox = commands.add_parser(
        "sandbox", help="try the bot in a browser: a demo school on this machine, no Telegram"
    )
    _sandbox_options(sandbox, "the sandbox page's")
    sandbox.set_defaults(handler=_sandbox)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        handler=_migrate
    )
    _add_import_commands(commands)
    invites = commands.add_parser(
        "invites", help="issue fresh invite codes for everyone not linked"
    )
    invites.add_argument("--out", type=Path, help="where to write invites.csv")
    invites.add_argument(
        "--letters", type=Path, help="where to write the families' invite letters (PDF)"
    )
    invites.add_argument(
        "--class",
        dest="class_name",
        help="only the families whose letter goes home with this class (no staff)",
    )
    invites.add_argument(
        "--bot-username",
        help="the bot's @username (default: TELEGRAM_BOT_USERNAME, else asked from Telegram)",
    )
    invites.set_defaults(handler=_invites)
    return parser


def _sandbox_options(parser: argparse.ArgumentParser, whose: str) -> None:
    parser.add_argument("--port", type=int, default=8080, help=f"{whose} port (0: any free one)")
    parser.add_argument(
        "--host", default="127.0.0.1", help=f"{whose} address; loopback only (127.0.0.1, ::1)"
    )


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print("No TELEGRAM_BOT_TOKEN is set, so this starts the local sandbox with a demo school.")
        return _sandbox(settings, args)
    from bot.runner import run

    try:
        return run(settings)
    except database.SecondProcessError:
        print(
            _(
                "Another Mentorbot process is already using this SQLite database. "
                "Run one process per SQLite file, or use PostgreSQL for several."
            ),
            file=sys.stderr,
        )
        return 3


def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    """The real bot, a demo school and a web page, all on this machine (never Telegram)."""
    from bot import sandbox

    host = sandbox.loopback_host(args.host)
    if host is None:
        print(
            f"The sandbox listens on this machine only: {args.host!r} is not a loopback "
            "address. Use --host 127.0.0.1 (the default) or ::1.",
            file=sys.stderr,
        )
        return 2
    if not 0 <= args.port <= 65535:
        print(f"{args.port} is not a port number (0 to 65535).", file=sys.stderr)
        return 2

    def announce(url: str) -> None:
        print(f"Mentorbot sandbox: open {url} (Ctrl+C to stop)", flush=True)

    try:
        return sandbox.run(host, args.port, announce)
    except OSError as error:
        print(f"The sandbox could not listen on {host}:{args.port}: {error}", file=sys.stderr)
        return 1


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(database.migrate(settings.database_url))
    print(_("The database schema is up to date."))
    return 0


def _with_database(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    async def wrapped() -> int:
        await database.migrate(settings.database_url)
        await database.connect(settings.database_url)
        try:
            return await work()
        finally:
            await database.disconnect()

    return asyncio.run(wrapped())


@dataclass(frozen=True)
class ImportCommand:
    """One import on the command line; IMPORT_COMMANDS below is every one of them."""

    name: str  # `import-roster`, or `rounds import` for `import` under the `rounds` group
    help: str
    # (argument, help): `--staff` is a required option, `file` a positional argument.
    arguments: tuple[tuple[str, str], ...]
    # Runs the import into the school; `today` is the school's date.
    run: Callable[[School, argparse.Namespace, date], Awaitable[Any]]
    # The lines printed when the import succeeded, translated when called.
    summary: Callable[[Any], Iterable[str]]
    # The headline over the problems when the files were refused.
    refused: str = N_("Nothing was changed. Please fix these problems and try again:")


# The groups holding an `import` subcommand, with their help.
IMPORT_GROUPS = {
    "rounds": "the year's mentoring rounds",
    "terms": "the term calendar: six half-terms a year",
    "announcements": "ready-made school announcements",
}


def _roster_summary(report: RosterReport) -> list[str]:
    return [
        f"{title}: {_format_counts(counts)}"
        for title, counts in (
            (_("Created"), report.created),
            (_("Updated"), report.updated),
            (_("Unchanged"), report.unchanged),
            (_("Marked as left"), report.left),
        )
    ]


def _expectations_summary(report: ExpectationsReport) -> list[str]:
    return [
        _("Expectations for {year}: {new} set, {changed} changed, {unchanged} unchanged.").format(
            year=report.academic_year,
            new=report.new,
            changed=report.changed,
            unchanged=report.unchanged,
        )
    ]


def _rounds_summary(report: RoundsReport) -> list[str]:
    return [
        _("Mentoring rounds: {created} created, {updated} updated, {unchanged} unchanged.").format(
            created=report.created, updated=report.updated, unchanged=report.unchanged
        )
    ]


def _terms_summary(report: TermsReport) -> list[str]:
    return [
        _(
            "Term dates for {years}: {created} half-terms added, {updated} changed, "
            "{unchanged} unchanged."
        ).format(
            years=", ".join(report.years),
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    ]


def _templates_summary(report: TemplatesReport) -> list[str]:
    return [
        _(
            "Ready-made announcements: {created} created, {updated} updated, {unchanged} unchanged."
        ).format(created=report.created, updated=report.updated, unchanged=report.unchanged)
    ]


IMPORT_COMMANDS = (
    ImportCommand(
        "import-roster",
        "import or update staff, pupils and contacts",
        (("--staff", "staff.csv"), ("--pupils", "pupils.csv"), ("--contacts", "contacts.csv")),
        lambda school, args, today: import_roster(
            school, staff=args.staff, pupils=args.pupils, contacts=args.contacts, now=clock.now()
        ),
        _roster_summary,
        refused=N_("Nothing was imported. Please fix these problems and try again:"),
    ),
    ImportCommand(
        "import-expectations",
        "set end-of-year expectations from pupil_id,area,band",
        (("file", "expectations.csv"),),
        lambda school, args, today: import_expectations(school, args.file, today=today),
        _expectations_summary,
    ),
    ImportCommand(
        "rounds import",
        "create or update rounds from number,name,opens_on,closes_on,slot_minutes",
        (("file", "rounds.csv"),),
        lambda school, args, today: import_rounds(school, args.file),
        _rounds_summary,
    ),
    ImportCommand(
        "terms import",
        "replace each year's half-terms from academic_year,half_term,starts_on,ends_on",
        (("file", "terms.csv"),),
        lambda school, args, today: import_terms(school, args.file),
        _terms_summary,
    ),
    ImportCommand(
        "announcements import",
        "create or replace ready-made announcements from key,locale,text",
        (("file", "templates.csv"),),
        lambda school, args, today: import_templates(school, args.file),
        _templates_summary,
    ),
)


def _add_import_commands(commands: Any) -> None:
    """A subcommand for each of IMPORT_COMMANDS, `rounds import` under a `rounds` group."""
    groups: dict[str, Any] = {}
    for command in IMPORT_COMMANDS:
        *group, name = command.name.split()
        where = commands
        if group:
            if group[0] not in groups:
                parent = commands.add_parser(group[0], help=IMPORT_GROUPS[group[0]])
                groups[group[0]] = parent.add_subparsers(dest=f"{group[0]}_command", required=True)
            where = groups[group[0]]
        parser = where.add_parser(name, help=command.help)
        for argument, help_text in command.arguments:
            if argument.startswith("--"):
                parser.add_argument(argument, type=Path, required=True, help=help_text)
            else:
                parser.add_argument(argument, type=Path, help=help_text)
        parser.set_defaults(handler=partial(_run_import, command))


def _run_import(command: ImportCommand, settings: Settings, args: argparse.Namespace) -> int:
    """Import into the installation's school: the summary, or the problems and status 1."""

    async def work() -> int:
        today = clock.today(settings.timezone)
        school = await ensure_school(
            settings.school_name, settings.school_timezone, settings.default_locale, today
        )
        try:
            report = await command.run(school, args, today)
        except ImportInvalid as invalid:
            _print_problems(_(command.refused), invalid)
            return 1
        for line in command.summary(report):
            print(line)
        return 0

    return _with_database(settings, work)


def _print_problems(headline: str, invalid: ImportInvalid) -> None:
    """An import's problems on stderr, one per line with file, line and column."""
    print(headline, file=sys.stderr)
    for problem in invalid.problems:
        message = _(problem.message).format(**problem.params)
        print(f"  {_where(problem)}: {message}", file=sys.stderr)
    if invalid.total > len(invalid.problems):
        more = invalid.total - len(invalid.problems)
        print("  " + _("…and {count} more.").format(count=more), file=sys.stderr)


def _where(problem: Problem) -> str:
    if problem.line == 0:  # the whole file: missing or unreadable
        return problem.file
    return _("{file}, line {line}, column {column}").format(
        file=problem.file, line=problem.line, column=problem.column
    )


def _format_counts(counts: dict[str, int]) -> str:
    labels = {
        "staff": _("staff"),
        "classes": _("classes"),
        "pupils": _("pupils"),
        "guardians": _("parents and carers"),
        "links": _("parent–child links"),
    }
    return ", ".join(f"{counts.get(key, 0)} {label}" for key, label in labels.items())


async def ask_bot_username(settings: Settings) -> str:
    """The bot's username, from Telegram's getMe (at TELEGRAM_API_URL)."""
    api = settings.telegram_api_url
    async with Bot(settings.token or "", base_url=f"{api}/bot") as bot:  # initialize is getMe
        return bot.username


def _invites(settings: Settings, args: argparse.Namespace) -> int:
    username = (args.bot_username or settings.telegram_bot_username or "").lstrip("@")
    if not username and not settings.token:
        print(
            _(
                "Without TELEGRAM_BOT_TOKEN, set TELEGRAM_BOT_USERNAME (the bot's @username) "
                "or pass --bot-username, so the invite links point at your bot."
            ),
            file=sys.stderr,
        )
        return 2
    if args.out is None and args.letters is None:
        print(
            _("Say where to write the codes: --out invites.csv, --letters letters.pdf or both."),
            file=sys.stderr,
        )
        return 2
    if not username:
        try:
            username = asyncio.run(ask_bot_username(settings))
        except InvalidToken:
            print(_("Telegram rejected the token: check TELEGRAM_BOT_TOKEN."), file=sys.stderr)
            return 2
        except TelegramError as error:
            print(
                _(
                    "Could not ask Telegram for the bot's username ({problem}). Set "
                    "TELEGRAM_BOT_USERNAME or pass --bot-username."
                ).format(problem=type(error).__name__),
                file=sys.stderr,
            )
            return 2

    async def work() -> int:
        now = clock.now()
        school = await ensure_school(
            settings.school_name, settings.school_timezone, settings.default_locale, now.date()
        )
        class_id = await class_named(school, args.class_name) if args.class_name else None
        if args.class_name and class_id is None:
            print(
                _("There is no class called {name}.").format(name=args.class_name), file=sys.stderr
            )
            return 2
        # Letters alone are for families: staff codes are only reissued into a CSV.
        batch = await issue_invites(
            school,
            now=now,
            ttl=timedelta(days=settings.invite_ttl_days),
            bot_username=username,
            class_id=class_id,
            staff=args.out is not None,
        )
        if args.out is not None:
            write_invites_csv(list(batch.rows), args.out)
            count = len(batch.rows)
            print(_("Wrote {count} invite codes to {path}.").format(count=count, path=args.out))
        if args.letters is not None:
            from bot.documents.invite_letters import write_invite_letters

            write_invite_letters(batch, args.letters)
            count = len(batch.letters)
            print(
                _("Wrote {count} invite letters to {path}.").format(count=count, path=args.letters)
            )
        return 0

    return _with_database(settings, work)
