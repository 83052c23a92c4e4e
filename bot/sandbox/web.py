"""The sandbox's web page and JSON API, with live changes as server-sent events."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import mimetypes
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.sandbox.demo import PEOPLE
from bot.sandbox.runner import Sandbox
from bot.sandbox.transcripts import Event, chat_messages

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 16 * 1024
MAX_TEXT = 4096
KEEPALIVE_SECONDS = 15.0
SANDBOX = web.AppKey("sandbox", Sandbox)
KEEPALIVE = web.AppKey("keepalive", float)
PEOPLE_BY_ID = {person.user_id: person for person in PEOPLE}
_STATIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\.(?:css|js|html|svg|png|ico)")
_MIME = re.compile(r"[a-z0-9.+-]{1,64}/[a-z0-9.+-]{1,64}")
_INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(sandbox: Sandbox, *, keepalive: float = KEEPALIVE_SECONDS) -> web.Application:
    """The aiohttp application serving the page, the API and the event stream."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_guard])
    app[SANDBOX], app[KEEPALIVE] = sandbox, keepalive
    app.router.add_get("/", _index)
    app.router.add_get("/static/{name}", _static)
    app.router.add_get("/api/people", _people)
    app.router.add_get(r"/api/chats/{user_id:\d{1,12}}", _chat)
    app.router.add_post(r"/api/chats/{user_id:\d{1,12}}/send", _send)
    app.router.add_post(r"/api/chats/{user_id:\d{1,12}}/press", _press)
    app.router.add_get("/files/{file_id}", _file)
    app.router.add_get("/api/events", _events)
    app.router.add_post("/api/reset", _reset)
    return app


def _is_local(host: str | None) -> bool:
    """True for a Host or Origin naming this machine (refuses DNS-rebinding names)."""
    name = urlsplit(f"//{host}").hostname if host else None
    if name == "localhost":
        return True
    try:
        return name is not None and ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Only local pages may call; errors are JSON; every answer carries safe headers."""
    origin = request.headers.get("Origin")
    if not _is_local(request.host):
        response: web.StreamResponse = _error(403, "This sandbox answers on loopback only.")
    elif (
        request.method == "POST" and origin is not None and urlsplit(origin).netloc != request.host
    ):
        response = _error(403, "Requests from other sites are refused.")
    elif (request.content_length or 0) > MAX_BODY:
        response = _error(413, "The request body is too large.")
    else:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = _error(exc.status, exc.reason)
    if not response.prepared:
        response.headers.update(
            {
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
                "Content-Security-Policy": _CSP,
            }
        )
    return response


async def _index(request: web.Request) -> web.StreamResponse:
    return await _static_file("index.html")


async def _static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if not _STATIC_NAME.fullmatch(name):
        raise web.HTTPNotFound()
    return await _static_file(name)


async def _static_file(name: str) -> web.StreamResponse:
    path = STATIC / name
    if not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Cache-Control": "no-cache"})


async def _people(request: web.Request) -> web.Response:
    return web.json_response(
        [
            {
                "user_id": p.user_id,
                "name": p.name,
                "role": p.role,
                "language": p.language,
                "rtl": p.rtl,
                "hint": p.hint,
            }
            for p in PEOPLE
        ]
    )


def _person(request: web.Request) -> int:
    user_id = int(request.match_info["user_id"])
    if user_id not in PEOPLE_BY_ID:
        raise web.HTTPNotFound(reason="No such person in the demo school.")
    return user_id


async def _chat(request: web.Request) -> web.Response:
    user_id = _person(request)
    emulator = request.app[SANDBOX].emulator
    messages = chat_messages(emulator, user_id) if emulator else []
    return web.json_response({"user_id": user_id, "messages": messages})


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(reason="The body must be JSON.") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(reason="The body must be a JSON object.")
    return body


async def _send(request: web.Request) -> web.Response:
    user_id = _person(request)
    text = (await _body(request)).get("text")
    if not isinstance(text, str) or not text.strip():
        raise web.HTTPBadRequest(reason="Type a message first.")
    if len(text) > MAX_TEXT:
        raise web.HTTPBadRequest(reason=f"A message can be at most {MAX_TEXT} characters.")
    await request.app[SANDBOX].send(user_id, text)
    return web.Response(status=204)


async def _press(request: web.Request) -> web.Response:
    user_id = _person(request)
    body = await _body(request)
    message_id, data = body.get("message_id"), body.get("data")
    if not isinstance(message_id, int) or isinstance(message_id, bool) or not isinstance(data, str):
        raise web.HTTPBadRequest(reason="Give the message_id and the button's data.")
    if not await request.app[SANDBOX].press(user_id, message_id, data):
        raise web.HTTPBadRequest(reason="That message has no such button (any more).")
    return web.Response(status=204)


async def _file(request: web.Request) -> web.Response:
    emulator = request.app[SANDBOX].emulator
    stored = emulator.state.files.get(request.match_info["file_id"]) if emulator else None
    if stored is None:
        raise web.HTTPNotFound(reason="No such file.")
    name = stored.filename or ("photo.jpg" if stored.kind == "photo" else "file")
    if stored.kind == "photo":
        mime = "image/png" if stored.data.startswith(b"\x89PNG") else "image/jpeg"
    else:
        mime = stored.mime_type or mimetypes.guess_type(name)[0] or ""
        mime = mime.split(";", 1)[0].strip().lower()
        mime = mime if _MIME.fullmatch(mime) else "application/octet-stream"
    # Only plain images open in the page; anything else downloads, never runs in this origin.
    disposition = "inline" if mime in _INLINE_IMAGES else "attachment"
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    header = f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return web.Response(
        body=stored.data, content_type=mime, headers={"Content-Disposition": header}
    )


async def _reset(request: web.Request) -> web.Response:
    await request.app[SANDBOX].reset()
    return web.Response(status=204)


async def _events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: `chat` when a person's chat changed, `reset` after a reset."""
    feed, keepalive = request.app[SANDBOX].feed, request.app[KEEPALIVE]
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    queue = feed.subscribe()
    try:
        await response.write(b"retry: 2000\n\n")
        idle = 0.0
        while request.transport is not None and not request.transport.is_closing():
            try:
                item: Event | None = await asyncio.wait_for(queue.get(), min(1.0, keepalive))
            except TimeoutError:
                idle += min(1.0, keepalive)
                if idle >= keepalive:
                    idle = 0.0
                    await response.write(b": keep-alive\n\n")
                continue
            if item is None:  # the sandbox is stopping
                break
            event, data = item
            await response.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
    except ConnectionResetError:  # the page went away
        pass
    finally:
        feed.unsubscribe(queue)
    with contextlib.suppress(ConnectionResetError):
        await response.write_eof()
    return response
