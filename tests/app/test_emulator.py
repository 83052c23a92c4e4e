"""The Bot API emulator, driven over real HTTP on 127.0.0.1 by python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot as PtbBot
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator, RateLimits

TOKEN = "123456:ABC-DEF"
ANN = 1001
BOB = 1002


def count_keyboard(count: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"Count {count}", callback_data=f"count:{count}")],
            [InlineKeyboardButton("Docs", url="https://example.org/docs")],
        ]
    )


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.effective_user is not None
    await update.message.reply_html(
        f"<b>Welcome</b>, {update.effective_user.first_name}!", reply_markup=count_keyboard(0)
    )


async def on_count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    count = int(query.data.split(":")[1]) + 1
    await query.answer(f"Counted {count}")
    await query.edit_message_text(f"Count is {count}", reply_markup=count_keyboard(count))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(update.message.text.upper(), do_quote=True)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="mentorbot_test") as emulator:
        emulator.add_user(ANN, "Ann", language_code="en")
        emulator.add_user(BOB, "Bob", language_code="de")
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[PtbBot]:
    ptb_bot = PtbBot(
        TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot"
    )
    async with ptb_bot:
        yield ptb_bot


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{emu.base_url}/bot")
        .base_file_url(f"{emu.base_url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CallbackQueryHandler(on_count, pattern=r"^count:"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


@pytest.fixture
def timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without this PTB warns (an error here) when it builds RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.mark.usefixtures("app")
async def test_text_round_trip_with_reply(emu: BotApiEmulator) -> None:
    chat = emu.chat(ANN)

    [welcome] = await chat.send("/start")
    assert welcome.text == "Welcome, Ann!"
    assert welcome.html == "<b>Welcome</b>, Ann!"
    assert welcome.entities == [{"type": "bold", "offset": 0, "length": 7}]
    assert welcome.buttons == [[("Count 0", "count:0")], [("Docs", "https://example.org/docs")]]

    sent = await emu.send_text(ANN, "hello")
    await emu.wait_for(lambda: len(emu.chat_log(ANN)) == 2, what="the echo of 'hello'")
    [echo] = await chat.send("again")
    assert echo.text == "AGAIN"
    assert echo.reply_to_message_id == sent["message_id"] + 2
    assert [m.text for m in emu.chat_log(ANN)] == ["Welcome, Ann!", "HELLO", "AGAIN"]
    assert [method for method, _ in emu.requests[:2]] == ["getMe", "deleteWebhook"]


async def test_bot_command_entities_like_telegram(emu: BotApiEmulator) -> None:
    message = await emu.send_text(ANN, "/start@mentorbot_test now")
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 21}]
    assert "entities" not in await emu.send_text(ANN, "no command here")


async def test_button_press_is_answered_once(
    emu: BotApiEmulator, app: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    chat = emu.chat(ANN)
    await chat.send("/start")

    [edited] = await chat.press("Count 0")
    assert edited.text == "Count is 1"
    assert edited.edited == 1
    assert chat.last_callback_answer == ("Counted 1", False)
    [edited] = await chat.press_data("count:1")
    assert edited.text == "Count is 2"

    query_id = await emu.press_button(ANN, ANN, edited.message_id, "count:2")
    await emu.wait_for(lambda: query_id in emu.callback_answers, what="the callback answer")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await app.bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await app.bot.answer_callback_query("12345")

    with pytest.raises(AssertionError, match="no button with callback_data 'count:0'"):
        await emu.press_button(ANN, ANN, edited.message_id, "count:0")
    with pytest.raises(AssertionError, match="no button 'Nope'"):
        await chat.press("Nope")


async def test_answers_are_counted_and_groups_can_be_joined_and_left(
    emu: BotApiEmulator, bot: PtbBot
) -> None:
    await emu.send_text(ANN, "/start")
    message = await bot.send_message(ANN, "Count is 0", reply_markup=count_keyboard(0))
    query_id = await emu.press_button(ANN, ANN, message.message_id, "count:0")
    await bot.answer_callback_query(query_id, "once")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id, "twice")
    assert emu.callback_answers[query_id] == ("once", False)
    assert emu.callback_answer_calls[query_id] == 2  # the refused second answer counts too
    seen = await emu.press_button(ANN, ANN, message.message_id, "count:0", inaccessible=True)
    [update] = [u for u in emu.updates.pending if u.get("callback_query", {}).get("id") == seen]
    assert update["callback_query"]["message"]["date"] == 0

    group = emu.add_group(-100321, "Staff room", members=[ANN])
    emu.add_bot_to_group(ANN, group.id)
    await bot.send_message(group.id, "hello")
    assert await bot.leave_chat(group.id)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(group.id, "still here?")
    statuses = [
        u["my_chat_member"]["new_chat_member"]["status"]
        for u in emu.updates.pending
        if "my_chat_member" in u
    ]
    assert statuses == ["member", "left"]
    mentioned = await emu.send_text(ANN, "Hi @oakfield_bot and /start@oakfield_bot", group.id)
    assert [e["type"] for e in mentioned["entities"]] == ["mention", "bot_command"]


async def test_transcript_timeout_names_what_it_waited_for(emu: BotApiEmulator) -> None:
    chat = emu.chat(ANN, timeout=0.1)
    with pytest.raises(AssertionError, match=r"waiting for 1 bot message\(s\).*'hi'"):
        await chat.send("hi")


async def test_text_limits(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANN, "x" * 4097)
    # Length counts after entity parsing, so markup does not count.
    message = await bot.send_message(ANN, f"<b>{'x' * 4096}</b>", parse_mode="HTML")
    assert len(message.text or "") == 4096
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ANN, "  \n ")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: can't find end tag"):
        await bot.send_message(ANN, "<b>open", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "blink"'):
        await bot.send_message(ANN, "<blink>x</blink>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)character '!' is reserved"):
        await bot.send_message(ANN, "Hello!", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(ANN, b"data", filename="a.txt", caption="c" * 1025)


async def test_callback_data_over_64_bytes(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(ANN, "fits", reply_markup=fits)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ANN, "65+ bytes", reply_markup=too_long)


@pytest.mark.usefixtures("timedelta_periods")
async def test_injected_faults(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    emu.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANN, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(ANN, "hi")

    emu.fail_next("sendMessage", status=500, chat_id=BOB)
    emu.fail_next("getMe", status=502)
    await bot.send_message(ANN, "other chats are fine")
    with pytest.raises(Exception, match="Bad Gateway"):
        await bot.get_me()
    assert emu.stats.rate_limited == 1
    assert emu.stats.errors[429] == 1
    assert emu.stats.errors[502] == 1


async def test_who_the_bot_may_write_to(emu: BotApiEmulator, bot: PtbBot) -> None:
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(ANN, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hi")
    await emu.send_text(ANN, "/start")
    await bot.send_message(ANN, "hi")
    emu.block(ANN)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANN, "hi")
    [update] = [u for u in emu.updates.pending if "my_chat_member" in u]
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_commands_follow_scope_resolution(emu: BotApiEmulator, bot: PtbBot) -> None:
    emu.add_user(1003, "Cleo", language_code="en")
    group = emu.add_group(-100123, "Staff room", members=[ANN], admins=[BOB])

    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("help", "Help")], scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(
        [BotCommand("hilfe", "Hilfe")],
        scope=BotCommandScopeAllPrivateChats(),
        language_code="de",
    )
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(ANN))
    await bot.set_my_commands(
        [BotCommand("staff", "Staff")], scope=BotCommandScopeChatMember(group.id, BOB)
    )

    assert emu.commands_for(ANN) == [("admin", "Admin")]
    assert emu.commands_for(BOB) == [("hilfe", "Hilfe")]
    assert emu.commands_for(1003) == [("help", "Help")]
    assert emu.commands_for(group.id, user_id=BOB) == [("staff", "Staff")]
    assert emu.commands_for(group.id, user_id=ANN) == [("start", "Start")]

    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert emu.commands_for(1003) == [("start", "Start")]
    assert emu.commands_for(BOB) == [("hilfe", "Hilfe")]
    # getMyCommands reads one (scope, language) exactly, without falling back.
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == []
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([BotCommand("x", "X")], scope=BotCommandScopeChat(4242))


async def test_document_round_trip(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    payload = b"%PDF-1.4 report bytes"
    message = await bot.send_document(
        ANN, payload, filename="report.pdf", caption="<i>Q1</i>", parse_mode="HTML"
    )
    assert message.document is not None
    assert message.document.file_name == "report.pdf"
    [sent] = emu.chat_log(ANN)
    assert sent.document is not None
    assert (sent.document.data, sent.document.filename, sent.document.mime_type) == (
        payload,
        "report.pdf",
        "application/pdf",
    )
    assert (sent.caption, sent.caption_html) == ("Q1", "<i>Q1</i>")

    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload
    again = await bot.send_document(ANN, message.document.file_id)
    assert again.document is not None
    assert again.document.file_id == message.document.file_id

    incoming = await emu.send_document_from_user(ANN, b"homework", "hw.txt", "text/plain")
    user_file = await bot.get_file(incoming["document"]["file_id"])
    assert bytes(await user_file.download_as_bytearray()) == b"homework"
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(ANN, "no-such-file-id")


async def test_edits_and_deletes(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    markup = count_keyboard(0)
    message = await bot.send_message(ANN, "Count is 0", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Count is 0", ANN, message.message_id, reply_markup=markup)
    await bot.edit_message_text("Count is 0", ANN, message.message_id)
    [sent] = emu.chat_log(ANN)
    assert (sent.edited, sent.reply_markup) == (1, None)
    await bot.edit_message_reply_markup(ANN, message.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(ANN, message.message_id, reply_markup=markup)

    assert await bot.delete_message(ANN, message.message_id)
    assert sent.deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ANN, message.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("gone", ANN, message.message_id)


async def test_webhook_push_with_secret(emu: BotApiEmulator, bot: PtbBot) -> None:
    received: asyncio.Queue[tuple[str | None, dict[str, Any]]] = asyncio.Queue()
    failures = [500]

    async def receive(request: web.Request) -> web.Response:
        if failures:
            return web.Response(status=failures.pop())
        await received.put(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    runner = web.AppRunner(receiver, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        assert await bot.set_webhook(url, secret_token="s3cret-token")
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates()
        await emu.send_text(ANN, "via webhook")
        secret, update = await asyncio.wait_for(received.get(), 5)
        assert secret == "s3cret-token"
        assert update["message"]["text"] == "via webhook"
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (url, 0)
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
        with pytest.raises(BadRequest, match=r"(?i)bad webhook"):
            await bot.set_webhook("https://example.org/hook")
    finally:
        await runner.cleanup()


@pytest.mark.usefixtures("timedelta_periods")
async def test_rate_limits_answer_429(emu: BotApiEmulator, bot: PtbBot) -> None:
    await emu.send_text(ANN, "/start")
    await emu.send_text(BOB, "/start")
    await bot.send_message(ANN, "one")
    await bot.send_message(ANN, "two")
    emu.rate_limits = RateLimits(overall_per_second=None, per_chat_per_second=1)
    await bot.send_message(ANN, "first this second")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ANN, "second this second")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(BOB, "another chat has its own window")
    await bot.edit_message_text("edits are not sends", ANN, 3)
    assert emu.stats.rate_limited == 1
    assert emu.stats.rate_limited_by_chat[ANN] == 1


async def test_http_surface(emu: BotApiEmulator) -> None:
    base = emu.base_url
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/bot{TOKEN}/getMe") as response:
            me = await response.json()
        assert me["result"]["username"] == "mentorbot_test"
        assert me["result"]["is_bot"]
        async with session.get(f"{base}/bot123:wrong/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{base}/bot{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method not found"
        await emu.send_text(ANN, "/start")
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        body = {"chat_id": ANN, "text": "json body", "reply_markup": markup}
        async with session.post(f"{base}/bot{TOKEN}/sendMessage", json=body) as response:
            answer = await response.json()
        assert answer["result"]["reply_markup"] == markup
        assert answer["result"]["from"]["id"] == 123456


async def test_invalid_token_raises_in_ptb(emu: BotApiEmulator) -> None:
    wrong = PtbBot("123456:WRONG", base_url=f"{emu.base_url}/bot")
    with pytest.raises(InvalidToken):
        await wrong.initialize()
    await wrong.shutdown()


async def test_media_copies_and_bot_settings(emu: BotApiEmulator, bot: PtbBot) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (2).to_bytes(4, "big") * 2 + b"rest"
    incoming = await emu.send_photo_from_user(ANN, png, caption="my drawing")
    await emu.send_text(BOB, "/start")
    photo = await bot.send_photo(ANN, png, caption="*nice*", parse_mode="MarkdownV2")
    assert (photo.photo[-1].width, emu.chat_log(ANN)[-1].caption_html) == (2, "<b>nice</b>")

    copied = await bot.copy_message(BOB, ANN, incoming["message_id"], caption="shared")
    forwarded = await bot.forward_message(BOB, ANN, photo.message_id)
    copy, forward = emu.chat_log(BOB)
    assert copy.message_id == copied.message_id
    assert copy.photo is not None
    assert (copy.photo.data, copy.caption) == (png, "shared")
    assert forward.forward_origin is not None
    assert forward.forward_origin["sender_user"]["is_bot"]
    assert forwarded.caption == "nice"
    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await bot.copy_message(BOB, ANN, 999)

    await bot.send_chat_action(ANN, "typing")
    assert emu.state.chat_actions == [(ANN, "typing")]
    assert (await bot.get_chat(ANN)).first_name == "Ann"
    await bot.set_my_description("Mentoring made simple", language_code="en")
    await bot.set_my_short_description("Mentoring")
    assert (await bot.get_my_description("en")).description == "Mentoring made simple"
    assert emu.bot_text("short_description") == "Mentoring"
    assert (await bot.get_chat_menu_button(ANN)).type == "commands"
    await bot.set_chat_menu_button(ANN, MenuButtonWebApp("Open", WebAppInfo("https://e.org")))
    assert emu.menu_button(ANN)["web_app"] == {"url": "https://e.org"}
    assert emu.menu_button(BOB) == {"type": "commands"}

    query = f"chat_id={ANN}&text=over+GET"
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{emu.base_url}/bot{TOKEN}/sendMessage?{query}") as response,
    ):
        assert (await response.json())["result"]["text"] == "over GET"
