"""Invite codes made for typing from paper: Crockford's base32, read without regard to case.

A code is 26 symbols (130 random bits) from an alphabet with no I, L, O or U. Its canonical
form is upper case without separators: that is what is hashed and what goes into the deep
link. What a person types is read leniently: any case, spaces and dashes anywhere, O as 0,
I and L as 1, and digits from any script (an Arabic or Urdu keyboard types ٣ for 3).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26  # 26 × 5 = 130 bits
GROUP = 4  # symbols per group when a code is shown to a person
# What Crockford reads as a digit: the letters that look like one.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SYMBOLS = frozenset(ALPHABET)
# Codes issued before this alphabet: `secrets.token_urlsafe(16)`, compared exactly as issued.
# They stop mattering once the last of them expires (INVITE_TTL_DAYS after the change).
_LEGACY = re.compile(r"[A-Za-z0-9_-]{22}")
_LONGEST_TYPED = 200  # far beyond any code with separators; longer text is not read at all


def new_code() -> str:
    """A fresh code in canonical form; it also fits Telegram's deep-link start parameter."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def hash_code(code: str) -> str:
    # Codes carry 130 random bits, so a plain digest is enough; no slow hash needed.
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def grouped(code: str, separator: str = " ") -> str:
    """`7WF2 RC7Q 0BFE …`: easier to copy by eye; the bot reads it with or without spaces."""
    return separator.join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def canonical_code(typed: str) -> str | None:
    """The code a person meant, in canonical form, or None if it cannot be one."""
    if len(typed) > _LONGEST_TYPED:
        return None
    symbols = []
    for char in unicodedata.normalize("NFKC", typed):
        if char.isspace() or unicodedata.category(char) == "Pd":  # phones turn - into –
            continue
        symbol = str(unicodedata.decimal(char)) if char.isdecimal() else char.upper()
        symbol = symbol.translate(_LOOK_ALIKES)
        if symbol not in _SYMBOLS:
            return None
        symbols.append(symbol)
    return "".join(symbols) if len(symbols) == LENGTH else None


def candidate_hashes(typed: str) -> list[str]:
    """The stored hashes the typed text could match: the code's, and an older code's."""
    hashes = []
    code = canonical_code(typed)
    if code is not None:
        hashes.append(hash_code(code))
    legacy = "".join(typed.split())  # letters spaced the old codes out in groups too
    if _LEGACY.fullmatch(legacy):
        hashes.append(hash_code(legacy))
    return hashes
