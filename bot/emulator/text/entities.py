"""Formatted text: parse modes to plain text plus entities, and entities back to HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.text.html import EntityParseError, parse_html
from bot.emulator.text.markdown import parse_markdown, parse_markdown_v2

Entity = dict[str, Any]

_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_TRIM = " \t\r\n\v\f"
_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "spoiler": "tg-spoiler",
    "code": "code",
    "pre": "pre",
    "text_link": "a",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
    "custom_emoji": "tg-emoji",
}


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def parse_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None = None
) -> tuple[str, list[Entity]]:
    """Apply a parse mode like Telegram does; returns the trimmed plain text and its entities."""
    mode = (parse_mode or "").strip().lower()
    try:
        if mode == "html":
            plain, found = parse_html(text)
        elif mode == "markdownv2":
            plain, found = parse_markdown_v2(text)
        elif mode == "markdown":
            plain, found = parse_markdown(text)
        elif mode == "":
            plain, found = text, [dict(e) for e in entities or []]
        else:
            raise bad_request("unsupported parse_mode")
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from exc
    return _trim(plain, found)


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    stripped = text.lstrip(_TRIM)
    shift = utf16_len(text) - utf16_len(stripped)
    stripped = stripped.rstrip(_TRIM)
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(int(entity["offset"]) - shift, 0)
        stop = min(int(entity["offset"]) + int(entity["length"]) - shift, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, kept


def command_entities(text: str) -> list[Entity]:
    """The bot_command entities Telegram detects in a user's text."""
    found = []
    for match in _COMMAND.finditer(text):
        found.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    return found


_MENTION = re.compile(r"(?<![\w/@])@[A-Za-z0-9_]{5,32}(?![\w@])")


def mention_entities(text: str) -> list[Entity]:
    """The mention entities (@username) Telegram detects in a user's text."""
    return [
        {
            "type": "mention",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _MENTION.finditer(text)
    ]


def to_html(text: str, entities: list[Entity]) -> str:
    """Render plain text with entities as Telegram-style HTML."""
    opens: dict[int, list[Entity]] = {}
    closes: dict[int, list[Entity]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        if entity["type"] in _TAGS:
            opens.setdefault(entity["offset"], []).append(entity)
            closes.setdefault(entity["offset"] + entity["length"], []).insert(0, entity)
    out: list[str] = []
    pos = 0
    for ch in text + "\0":
        out.extend(_close_tag(e) for e in closes.get(pos, []))
        out.extend(_open_tag(e) for e in opens.get(pos, []))
        if ch != "\0":
            out.append(html.escape(ch, quote=False))
        pos += 2 if ord(ch) > 0xFFFF else 1
    return "".join(out)


def _open_tag(entity: Entity) -> str:
    kind = entity["type"]
    tag = _TAGS[kind]
    if kind == "text_link":
        return f'<a href="{html.escape(str(entity.get("url", "")))}">'
    if kind == "pre" and entity.get("language"):
        return f'<pre><code class="language-{html.escape(str(entity["language"]))}">'
    if kind == "expandable_blockquote":
        return "<blockquote expandable>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{html.escape(str(entity.get("custom_emoji_id", "")))}">'
    return f"<{tag}>"


def _close_tag(entity: Entity) -> str:
    if entity["type"] == "pre" and entity.get("language"):
        return "</code></pre>"
    return f"</{_TAGS[entity['type']]}>"
