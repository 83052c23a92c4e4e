"""/assess: pupil → area → band in three taps; then a note, the child's own view, or undo."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.labels import area_label, band_label, progress_label
from handlers.common.pickers import (
    area_code,
    area_from,
    area_keyboard,
    band_from,
    band_keyboard,
    button,
    int_arg,
)
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply, show
from models.assessment.assessing import add_note, record_assessment, undo_assessment
from models.assessment.bands import progress
from models.assessment.expecting import expected_bands
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import Area
from models.common.errors import N_, DomainError
from models.common.flows import Flow, end_flow, start_flow
from models.people.access import Permission
from models.people.pupils import pupil_for

PICK = "as"  # v1:as:<pupil>[:<area>[:<band>]]
OWN = "aso"  # v1:aso:<pupil>:<area>[:<band>]: the child's own judgement
NOTE = "asn"  # v1:asn:<assessment>
UNDO = "asu"  # v1:asu:<assessment>


async def assess(update: Update, context: MentorContext) -> None:
    """Start a judgement: `/assess` or `/assess <part of a name>`."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    pupil_id = await choose_pupil(update, context, PICK)
    if pupil_id is not None:
        await _ask_area(update, context, pupil_id, edit=False)


async def _ask_area(update: Update, context: MentorContext, pupil_id: int, *, edit: bool) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.ASSESS)
    text = escape(_("{name}: which area?").format(name=pupil.full_name))
    await show(update, text, area_keyboard(PICK, pupil_id), edit=edit)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor = acting(context)
    ids = [int_arg(a) for a in args]
    if kind in (PICK, OWN) and ids and ids[0] is not None:
        pupil_id = ids[0]
        area = area_from(args[1]) if len(args) > 1 else None
        if area is None:
            await _ask_area(update, context, pupil_id, edit=True)
            return None
        band = band_from(area, args[2]) if len(args) > 2 else None
        if band is None:
            await _ask_band(update, context, pupil_id, area, own=kind == OWN)
            return None
        judged = await record_assessment(
            actor, pupil_id, area, band, now=clock.now(), by_pupil=kind == OWN
        )
        await _recorded(update, context, pupil_id, area, band, judged.id, own=kind == OWN)
        return _("Saved")
    if kind == NOTE and len(ids) == 1 and ids[0] is not None:
        await start_flow(chat_id(update), "note", "text", {"assessment": ids[0]}, now=clock.now())
        await reply(update, escape(_("Type a short note (staff only, never shown to parents):")))
        return None
    if kind == UNDO and len(ids) == 1 and ids[0] is not None:
        pupil_id = await undo_assessment(actor, ids[0], now=clock.now())
        await _ask_area(update, context, pupil_id, edit=True)
        return _("Undone")
    raise DomainError(N_("This button is no longer active."))


async def _ask_band(
    update: Update, context: MentorContext, pupil_id: int, area: Area, *, own: bool
) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.ASSESS)
    if own:
        question = _("{name} — {area}: how does {first} judge it?")
    else:
        question = _("{name} — {area}: which band?")
    text = question.format(name=pupil.full_name, area=area_label(area), first=pupil.first_name)
    await show(
        update,
        escape(text),
        band_keyboard(OWN if own else PICK, area, pupil_id, area_code(area)),
        edit=True,
    )


async def _recorded(
    update: Update,
    context: MentorContext,
    pupil_id: int,
    area: Area,
    band: str,
    assessment_id: int,
    *,
    own: bool,
) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.ASSESS)
    who = _("{first}'s own view").format(first=pupil.first_name) if own else _("Teacher")
    text = "✅ " + escape(
        _("Saved for {name}: {area} — {band} ({who}).").format(
            name=pupil.full_name, area=area_label(area), band=band_label(area, band), who=who
        )
    )
    if not own:
        year = academic_year_for(clock.now().date())
        expected = (await expected_bands([pupil_id], area, academic_year=year)).get(pupil_id)
        if expected:
            text += " " + escape(progress_label(progress(area, band, expected)))
    keyboard = [
        [
            button("📝 " + _("Add a note"), NOTE, assessment_id),
            button("↩️ " + _("Undo"), UNDO, assessment_id),
        ],
        [
            button("🧒 " + _("Child's own view"), OWN, pupil_id, area_code(area)),
            button("➕ " + _("Another area"), PICK, pupil_id),
        ],
    ]
    await show(update, text, InlineKeyboardMarkup(keyboard), edit=True)


@on_text("note")
async def note_typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The note for the judgement just recorded."""
    try:
        await add_note(acting(context), int(flow.data["assessment"]), text)
    except DomainError as error:
        await reply(update, escape(_(error.message).format(**error.params)))
        return
    await end_flow(chat_id(update))
    await reply(update, "📝 " + escape(_("Note saved (staff only).")))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("assess", assess))
    register_buttons(app, _dispatch, PICK, OWN, NOTE, UNDO)
