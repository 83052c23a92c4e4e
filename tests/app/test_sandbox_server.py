"""The sandbox's HTTP API and event stream, with the real bot running on the demo school."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.sandbox import Sandbox
from bot.sandbox.transcripts import safe_html
from bot.sandbox.web import create_app
from models import Target
from tests.clock import child_env

HEAD, AMIRA, EWA = 9001, 9002, 9004
Message = dict[str, Any]
Client = TestClient[Any, Any]


@pytest.fixture
async def client() -> AsyncIterator[Client]:
    """The sandbox (emulator, demo database, bot) behind its web API on 127.0.0.1."""
    sandbox = Sandbox()
    await sandbox.start()
    try:
        async with TestClient(TestServer(create_app(sandbox, keepalive=0.5))) as test_client:
            yield test_client
    finally:
        await sandbox.stop()


async def chat(client: Client, user_id: int) -> list[Message]:
    body = await (await client.get(f"/api/chats/{user_id}")).json()
    assert body["user_id"] == user_id
    return list(body["messages"])


async def until(client: Client, user_id: int, found: Callable[[list[Message]], Any]) -> Any:
    """Poll a chat until `found(messages)` is truthy (within 8 s); returns what it gave."""
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        if result := found(await chat(client, user_id)):
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"chat {user_id} never matched: {await chat(client, user_id)}")


def button(data_prefix: str, text: str | None = None) -> Callable[[list[Message]], Any]:
    """Finds (message_id, data) of the newest button whose data starts with the prefix."""

    def find(messages: list[Message]) -> tuple[int, str] | None:
        for message in reversed(messages):
            for row in message["buttons"]:
                for key in row:
                    if key.get("data", "").startswith(data_prefix) and text in (None, key["text"]):
                        return int(message["id"][1:]), key["data"]
        return None

    return find


async def press(client: Client, user_id: int, found: tuple[int, str]) -> None:
    body = {"message_id": found[0], "data": found[1]}
    assert (await client.post(f"/api/chats/{user_id}/press", json=body)).status == 204


async def next_event(stream: ClientResponse, event: str, data: dict[str, Any]) -> None:
    """Read server-sent events until this one arrives."""
    async with asyncio.timeout(8):
        kind = None
        while line := (await stream.content.readline()).decode():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ").strip()
            elif line.startswith("data: ") and kind == event and json.loads(line[6:]) == data:
                return
    raise AssertionError(f"the stream ended before {event} {data}")


async def test_people_page_and_chat_of_the_demo_school(client: Client) -> None:
    people = await (await client.get("/api/people")).json()
    assert [p["user_id"] for p in people[:3]] == [HEAD, AMIRA, 9003]
    assert people[0]["role"] == "Head teacher"
    assert {"pl", "en"} <= {p["language"] for p in people}
    assert any(p["rtl"] for p in people)
    assert all(p["hint"] for p in people)
    page = await client.get("/")
    assert page.status == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert (await client.get("/static/..%2Fweb.py")).status == 404
    assert (await client.get("/api/chats/12345")).status == 404
    # Every phone opens with the person's /start and the bot's welcome in their language.
    opening = await chat(client, EWA)
    assert [(m["from"], m["id"]) for m in opening[:2]] == [("user", "u1"), ("bot", "b2")]
    assert opening[0]["text"] == "/start"


async def test_sending_as_the_teacher_gets_the_bots_answer(client: Client) -> None:
    assert (await client.post(f"/api/chats/{AMIRA}/send", json={"text": "/help"})).status == 204
    messages = await until(client, AMIRA, lambda m: m if "/target" in m[-1]["text"] else None)
    mine = [m for m in messages if m["from"] == "user"]
    assert mine[-1]["text"] == "/help"
    assert messages.index(mine[-1]) < len(messages) - 1  # the answer comes after it
    assert "<b>" not in messages[-1]["text"]


async def test_a_target_set_by_the_teacher_reaches_the_parent_live(client: Client) -> None:
    await until(client, EWA, button("v1:md:"))  # the invitation came before we listen
    async with client.get("/api/events") as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        await client.post(f"/api/chats/{AMIRA}/send", json={"text": "/target maja"})
        await press(client, AMIRA, await until(client, AMIRA, button("v1:tg:", "Writing")))
        await press(client, AMIRA, await until(client, AMIRA, button("v1:tgb:1")))
        await press(client, AMIRA, await until(client, AMIRA, button("v1:tgh:1")))
        await until(client, AMIRA, lambda m: "Maja Nowak" in m[-1]["text"] and not m[-1]["buttons"])
        # The delivery job brings the notice to Maja's mother, in Polish, with "👍 Seen".
        await next_event(stream, "chat", {"user_id": EWA})
        notice = await until(client, EWA, button("v1:seen:"))
        messages = await chat(client, EWA)
        assert "Maja" in next(m for m in messages if m["id"] == f"b{notice[0]}")["text"]
        assert await Target.filter(pupil__first_name="Maja").count() == 1

        assert (await client.post("/api/reset")).status == 204
        await next_event(stream, "reset", {})
    assert await Target.filter(pupil__first_name="Maja").count() == 0
    assert not button("v1:seen:")(await chat(client, EWA))
    assert await until(client, EWA, button("v1:md:"))  # the invitation is back


async def test_a_parent_books_a_time_and_gets_a_calendar_file(client: Client) -> None:
    await press(client, EWA, await until(client, EWA, button("v1:md:")))
    await press(client, EWA, await until(client, EWA, button("v1:mb:")))
    file = await until(client, EWA, lambda m: m[-1]["document"])
    assert file["name"].endswith(".ics")
    download = await client.get(file["url"])
    assert download.headers["Content-Type"].startswith("text/calendar")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert b"BEGIN:VCALENDAR" in await download.read()
    assert (await client.get("/files/nothing-here")).status == 404


BAD_REQUESTS = [
    (f"/api/chats/{AMIRA}/send", {"text": "  "}, 400),
    (f"/api/chats/{AMIRA}/send", {"text": "x" * 4097}, 400),
    (f"/api/chats/{AMIRA}/send", {"text": "x" * 17_000}, 413),
    (f"/api/chats/{AMIRA}/send", [1], 400),
    ("/api/chats/777/send", {"text": "hello"}, 404),
    (f"/api/chats/{EWA}/press", {"message_id": 2, "data": "v1:seen:1"}, 400),
    (f"/api/chats/{EWA}/press", {"message_id": 999, "data": "v1:x"}, 400),
    (f"/api/chats/{EWA}/press", {"message_id": True, "data": "v1:x"}, 400),
]


async def test_bad_requests_are_refused_with_a_reason(client: Client) -> None:
    for path, body, status in BAD_REQUESTS:
        response = await client.post(path, json=body)
        assert (response.status, path, body) == (status, path, body)
        assert (await response.json())["error"]
    not_json = await client.post(f"/api/chats/{AMIRA}/send", data=b"{text")
    assert not_json.status == 400


async def test_other_sites_and_hostnames_are_refused(client: Client) -> None:
    rebound = await client.get("/api/people", headers={"Host": "attacker.example:8080"})
    assert rebound.status == 403
    forged = await client.post("/api/reset", headers={"Origin": "https://attacker.example"})
    assert forged.status == 403


async def test_streams_keep_alive_and_end_when_the_sandbox_stops() -> None:
    sandbox = Sandbox()
    await sandbox.start()
    server = TestServer(create_app(sandbox, keepalive=0.3))
    async with TestClient(server) as test_client, test_client.get("/api/events") as stream:
        async with asyncio.timeout(5):
            while (await stream.content.readline()) != b": keep-alive\n":
                pass
        await sandbox.stop()
        async with asyncio.timeout(5):
            assert (await stream.content.read()).strip() == b""  # the stream has ended
    others = asyncio.all_tasks() - {asyncio.current_task()}
    assert not others, others


def test_only_plain_formatting_and_web_links_reach_the_page() -> None:
    text = "Bold <tag> link bad quote"
    entities = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 11, "length": 4, "url": 'https://example.org/?a=1&b="'},
        {"type": "text_link", "offset": 16, "length": 3, "url": "javascript:alert(1)"},
        {"type": "blockquote", "offset": 20, "length": 5},
    ]
    assert safe_html(text, entities) == (
        '<b>Bold</b> &lt;tag&gt; <a href="https://example.org/?a=1&amp;b=&quot;">link</a> bad quote'
    )


def cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own entry point with fixed arguments
        [sys.executable, "-m", "bot", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env({"PATH": os.environ.get("PATH", "/usr/bin:/bin")}),
        cwd=cwd,
    )


def test_a_host_that_is_not_loopback_is_refused(tmp_path: Path) -> None:
    process = cli("sandbox", "--host", "0.0.0.0", cwd=tmp_path)  # noqa: S104 - refused
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "not a loopback address" in err


def test_run_without_a_token_starts_the_sandbox(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a free port for the sandbox
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy variables
    process = cli("run", "--port", str(port), cwd=tmp_path)
    try:
        deadline, page = time.monotonic() + 20, b""
        while time.monotonic() < deadline and not page:
            try:
                with direct.open(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read()
            except OSError:
                time.sleep(0.2)
        assert b"<html" in page
    finally:
        process.terminate()
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "No TELEGRAM_BOT_TOKEN is set" in out
    assert f"Mentorbot sandbox: open http://127.0.0.1:{port} (Ctrl+C to stop)" in out
