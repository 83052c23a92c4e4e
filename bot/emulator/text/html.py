"""Telegram's HTML parse mode, following tdlib's parser and its error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_TAG_ENTITY = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
    "pre": "pre",
    "code": "code",
    "blockquote": "blockquote",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """Formatted text could not be parsed; the message is tdlib's wording."""


@dataclass
class _Open:
    tag: str
    start: int
    argument: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, index: int) -> int:
        return len(self.text[:index].encode())

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.pos16 += sum(2 if ord(ch) > 0xFFFF else 1 for ch in chars)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, i = self.text, 0
        while i < len(text):
            ch = text[i]
            if ch == "&":
                decoded, after = decode_entity(text, i)
                self.emit(decoded)
                i = after
            elif ch != "<":
                self.emit(ch)
                i += 1
            elif text.startswith("</", i):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        text, i = self.text, begin + 1
        while i < len(text) and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= len(text):
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = text[begin + 1 : i].lower()
        if name not in _TAG_ENTITY:
            raise EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        attrs, i = self.attributes(i, name, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_Open(name, self.pos16, attrs=attrs))
        return i + 1

    def attributes(self, i: int, name: str, begin: int) -> tuple[dict[str, str], int]:
        text = self.text
        attrs: dict[str, str] = {}
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {self.byte_offset(begin)}"
                )
            if text[i] == ">":
                return attrs, i
            start = i
            while i < len(text) and not text[i].isspace() and text[i] not in "=>":
                i += 1
            attr = text[start:i].lower()
            while i < len(text) and text[i].isspace():
                i += 1
            if i < len(text) and text[i] != "=" and name == "blockquote" and attr == "expandable":
                attrs[attr] = "1"
                continue
            if i >= len(text) or text[i] != "=":
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while i < len(text) and text[i].isspace():
                i += 1
            value, i = self.attribute_value(i, name, begin)
            attrs[attr] = value

    def attribute_value(self, i: int, name: str, begin: int) -> tuple[str, int]:
        text = self.text
        if i >= len(text):
            raise EntityParseError(
                f'Unclosed start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        if text[i] not in "'\"":
            start = i
            while i < len(text) and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            if i < len(text) and not text[i].isspace() and text[i] != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return text[start:i].lower(), i
        quote, i = text[i], i + 1
        value: list[str] = []
        while i < len(text) and text[i] != quote:
            if text[i] == "&":
                decoded, i = decode_entity(text, i)
                value.append(decoded)
            else:
                value.append(text[i])
                i += 1
        return "".join(value), i + 1

    def end_tag(self, begin: int) -> int:
        text = self.text
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while i < len(text) and not text[i].isspace() and text[i] != ">":
            i += 1
        end_name = text[begin + 2 : i].lower()
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if end_name and end_name != opened.tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.tag}>", found "</{end_name}>"'
            )
        self.close(opened)
        return i + 1

    def close(self, opened: _Open) -> None:
        length = self.pos16 - opened.start
        kind = _TAG_ENTITY[opened.tag]
        entity: dict[str, Any] = {"type": kind, "offset": opened.start, "length": length}
        attrs = opened.attrs
        if kind == "code" and self.stack and self.stack[-1].tag == "pre":
            language = attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].argument = language.removeprefix("language-")
                return
        if kind == "pre" and opened.argument:
            entity["language"] = opened.argument
        if kind == "text_link":
            if not attrs.get("href"):
                return
            entity["url"] = attrs["href"]
        if kind == "custom_emoji":
            entity["custom_emoji_id"] = attrs.get("emoji-id", "")
        if kind == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        if length > 0:
            self.entities.append(entity)


def decode_entity(text: str, i: int) -> tuple[str, int]:
    """Decode an HTML entity at text[i] == '&'; unknown ones stay a literal '&'."""
    end = text.find(";", i + 1, i + 12)
    if end == -1:
        return "&", i + 1
    body = text[i + 1 : end]
    if body in _NAMED:
        return _NAMED[body], end + 1
    try:
        if body.startswith(("#x", "#X")):
            code = int(body[2:], 16)
        elif body.startswith("#") and body[1:].isdigit():
            code = int(body[1:])
        else:
            return "&", i + 1
    except ValueError:
        return "&", i + 1
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "&", i + 1
    return chr(code), end + 1


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities (offsets in UTF-16 units)."""
    return _Parser(text).run()
