"""A strict reader of Telegram's HTML: only its tags and entities, balanced, else an error.

Telegram's parse_mode HTML allows b, strong, i, em, u, ins, s, strike, del, a href, code,
pre, tg-spoiler, span class="tg-spoiler", blockquote and tg-emoji; the named entities &lt;,
&gt;, &amp; and &quot;, and numeric ones (its documentation says all numeric entities are
supported, and html.escape writes a single quote as &#x27;). Any other <, > or & is refused.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    | {"tg-spoiler", "span", "blockquote", "tg-emoji"}
)
ATTRIBUTES = {
    "a": {"href"},
    "code": {"class"},
    "span": {"class"},
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")


class RefusedHTML(AssertionError):
    """What Telegram would answer with "Bad Request: can't parse entities"."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise RefusedHTML(f"unknown tag <{tag}>")
        for name, _value in attrs:
            if name not in ATTRIBUTES.get(tag, set()):
                raise RefusedHTML(f"attribute {name} on <{tag}>")
        if tag == "span" and attrs != [("class", "tg-spoiler")]:
            raise RefusedHTML("a span that is not a spoiler")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise RefusedHTML(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise RefusedHTML(f"</{tag}> does not close the open {self.open[-1:]}")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for mark in "<>&":
            if mark in data:
                raise RefusedHTML(f"a bare {mark} in {data!r}")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED:
            raise RefusedHTML(f"unknown entity &{name};")
        self.text.append(NAMED[name])

    def handle_charref(self, name: str) -> None:
        number = int(name[1:], 16) if name[:1] in "xX" else int(name)
        if not 0 < number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            raise RefusedHTML(f"entity &#{name}; is not a character")
        self.text.append(chr(number))

    def handle_comment(self, data: str) -> None:
        raise RefusedHTML("a comment")

    def handle_decl(self, decl: str) -> None:
        raise RefusedHTML("a declaration")

    def handle_pi(self, data: str) -> None:
        raise RefusedHTML("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        raise RefusedHTML("a declaration")


def visible_text(html: str) -> str:
    """The text a reader sees (before Telegram trims it), or RefusedHTML saying why not."""
    # HTMLParser also reads `&amp` without its `;`; Telegram does not.
    for at in (match.start() for match in re.finditer("&", html)):
        if not _ENTITY.match(html, at):
            raise RefusedHTML(f"a bare & at {html[at : at + 12]!r}")
    reader = _Reader()
    reader.feed(html)
    reader.close()
    if reader.rawdata:
        raise RefusedHTML(f"unread at the end: {reader.rawdata!r}")
    if reader.open:
        raise RefusedHTML(f"never closed: {reader.open}")
    return "".join(reader.text)
