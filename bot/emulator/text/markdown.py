"""Telegram's MarkdownV2 and legacy Markdown parse modes, with tdlib's error messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.emulator.text.html import EntityParseError

_RESERVED = "_*[]()~`>#+-=|{}.!"
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    start16: int
    byte_offset: int
    out_index: int
    argument: str = ""


def _u16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _reserved_error(ch: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
    )


class _V2:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []
        self.quote_start: int | None = None

    def at(self, i: int) -> str:
        return self.text[i] if i < len(self.text) else ""

    def emit(self, ch: str) -> None:
        self.out.append(ch)
        self.pos16 += _u16(ch)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.text):
            i = self.step(i)
        if self.stack:
            top = self.stack[-1]
            raise EntityParseError(
                f"Can't find end of {_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        self.end_quote()
        return "".join(self.out), self.entities

    def end_quote(self) -> None:
        if self.quote_start is not None and self.pos16 > self.quote_start:
            self.entities.append(
                {
                    "type": "blockquote",
                    "offset": self.quote_start,
                    "length": self.pos16 - self.quote_start,
                }
            )
        self.quote_start = None

    def step(self, i: int) -> int:
        ch, nxt = self.text[i], self.at(i + 1)
        if ch == "\\" and nxt and ord(nxt) <= 126:
            self.emit(nxt)
            return i + 2
        in_code = bool(self.stack) and self.stack[-1].kind in ("code", "pre")
        if ch == "\n" and self.quote_start is not None and self.at(i + 1) != ">":
            self.end_quote()
        if ch == ">" and not self.stack and (i == 0 or self.text[i - 1] == "\n"):
            if self.quote_start is None:
                self.quote_start = self.pos16
            return i + 1
        if ch not in ("`" if in_code else _RESERVED):
            self.emit(ch)
            return i + 1
        if self.stack and self.is_end(i):
            return self.close(i)
        return self.open(i)

    def is_end(self, i: int) -> bool:
        ch, nxt = self.text[i], self.at(i + 1)
        return {
            "bold": ch == "*",
            "italic": ch == "_" and nxt != "_",
            "underline": ch == "_" and nxt == "_",
            "strikethrough": ch == "~",
            "spoiler": ch == "|" and nxt == "|",
            "code": ch == "`",
            "pre": self.text.startswith("```", i),
            "text_link": ch == "]",
            "custom_emoji": ch == "]",
        }[self.stack[-1].kind]

    def open(self, i: int) -> int:
        ch, nxt = self.text[i], self.at(i + 1)
        begin = len(self.text[:i].encode())
        argument = ""
        if ch == "_":
            kind, i = ("underline", i + 2) if nxt == "_" else ("italic", i + 1)
        elif ch in "*~[":
            kind, i = {"*": "bold", "~": "strikethrough", "[": "text_link"}[ch], i + 1
        elif ch == "|" and nxt == "|":
            kind, i = "spoiler", i + 2
        elif ch == "!" and nxt == "[":
            kind, i = "custom_emoji", i + 2
        elif ch == "`" and self.text.startswith("```", i):
            kind, i = "pre", i + 3
            end = i
            while end < len(self.text) and not self.text[end].isspace() and self.text[end] != "`":
                end += 1
            if end != i and end < len(self.text) and self.text[end] != "`":
                argument, i = self.text[i:end], end
            if self.at(i) in ("\n", "\r"):
                i += 2 if self.at(i + 1) in ("\n", "\r") and self.at(i + 1) != self.at(i) else 1
        elif ch == "`":
            kind, i = "code", i + 1
        else:
            raise _reserved_error(ch)
        self.stack.append(_Open(kind, self.pos16, begin, len(self.out), argument))
        return i

    def close(self, i: int) -> int:
        opened = self.stack.pop()
        kind = opened.kind
        entity: dict[str, Any] = {
            "type": kind,
            "offset": opened.start16,
            "length": self.pos16 - opened.start16,
        }
        step = {"underline": 2, "spoiler": 2, "pre": 3}.get(kind, 1)
        i += step
        if kind == "pre" and opened.argument:
            entity["language"] = opened.argument
        if kind in ("text_link", "custom_emoji"):
            url, i = self.url(i, opened)
            if kind == "custom_emoji":
                if not url.startswith("tg://emoji?id="):
                    raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
                entity["custom_emoji_id"] = url.removeprefix("tg://emoji?id=")
            else:
                entity["url"] = url
        if entity["length"] > 0:
            self.entities.append(entity)
        return i

    def url(self, i: int, opened: _Open) -> tuple[str, int]:
        if self.at(i) != "(":
            return "".join(self.out[opened.out_index :]), i
        i += 1
        begin = len(self.text[:i].encode())
        chars: list[str] = []
        while i < len(self.text) and self.text[i] != ")":
            if self.text[i] == "\\" and self.at(i + 1) and ord(self.at(i + 1)) <= 126:
                chars.append(self.text[i + 1])
                i += 2
                continue
            chars.append(self.text[i])
            i += 1
        if i >= len(self.text):
            raise EntityParseError(f"Can't find end of a URL at byte offset {begin}")
        return "".join(chars), i + 1


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 into plain text and entities (offsets in UTF-16 units)."""
    return _V2(text).run()


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy Markdown (*bold*, _italic_, `code`, ```pre```, [text](url))."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    pos16, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            pos16, i = pos16 + 1, i + 2
            continue
        if ch not in "_*`[":
            out.append(ch)
            pos16, i = pos16 + _u16(ch), i + 1
            continue
        begin, start = i, pos16
        pre = text.startswith("```", i)
        end_mark = "```" if pre else {"[": "]"}.get(ch, ch)
        i += 3 if pre else 1
        close = text.find(end_mark, i)
        if close == -1:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {len(text[:begin].encode())}"
            )
        body = text[i:close]
        out.append(body)
        pos16 += sum(_u16(c) for c in body)
        i = close + len(end_mark)
        entity: dict[str, Any] = {"offset": start, "length": pos16 - start}
        if pre:
            entity["type"] = "pre"
        elif ch == "[":
            entity["type"] = "text_link"
            if text.startswith("(", i) and (url_end := text.find(")", i)) != -1:
                entity["url"], i = text[i + 1 : url_end], url_end + 1
            else:
                continue
        else:
            entity["type"] = {"*": "bold", "_": "italic", "`": "code"}[ch]
        if entity["length"] > 0:
            entities.append(entity)
    return "".join(out), entities
