"""Callback data: whatever a client sends decodes to a button or to None, and ours round-trip."""

from __future__ import annotations

import string

from hypothesis import example, given
from hypothesis import strategies as st

from handlers.common import callback_data
from handlers.common.callback_data import MAX_BYTES, Callback, decode, encode, id_arg, one_id

ALPHABET = string.ascii_letters + string.digits + "_-"
parts = st.text(ALPHABET, min_size=1, max_size=24)
args = st.lists(st.one_of(parts, st.integers(min_value=0, max_value=2**63)), max_size=6)
# Anything a client could put in a button press: mostly near-misses of our own shape.
near_misses = st.one_of(
    st.text(),
    st.builds(lambda ps: ":".join(ps), st.lists(st.text(max_size=26), max_size=8)),
    st.builds(
        lambda ps, tail: ":".join(["v1", *ps]) + tail,
        st.lists(parts, min_size=1, max_size=6),
        st.sampled_from(["", ":", "\n", " ", "\r\n", "\x00", "é", "::"]),
    ),
)


def _fits(kind: str, values: list[str | int]) -> bool:
    data = ":".join(["v1", kind, *map(str, values)])
    return all(len(str(v)) <= 24 for v in values) and len(data.encode()) <= MAX_BYTES


@given(st.one_of(st.none(), near_misses))
@example("v1:kind:5\n")
@example("v1:kind\n:5")
def test_decoding_anything_gives_a_button_or_none(data: str | None) -> None:
    parsed = decode(data)
    assert parsed is None or isinstance(parsed, Callback)
    if parsed is not None:
        # Only data we could have made decodes, and it is exactly what encoding it makes.
        assert data is not None
        assert all(part and set(part) <= set(ALPHABET) for part in (parsed.kind, *parsed.args))
        assert encode(parsed.kind, *parsed.args) == data


@given(parts, args)
def test_what_encodes_decodes_to_the_same_button(kind: str, values: list[str | int]) -> None:
    if not _fits(kind, values):
        return
    assert decode(encode(kind, *values)) == Callback(kind, tuple(map(str, values)))
    assert callback_data.pattern(kind).match(encode(kind, *values))


@given(parts, args)
def test_encoding_too_much_is_refused_with_its_own_error(
    kind: str, values: list[str | int]
) -> None:
    data = ":".join(["v1", kind, *map(str, values)])
    if len(data.encode()) <= MAX_BYTES:
        return
    try:
        encode(kind, *values)
    except ValueError:
        return
    raise AssertionError(f"{data!r} was encoded although it is over {MAX_BYTES} bytes")


@given(st.text(min_size=1), parts)
@example("kind\n", "5")
@example("kind", "5\n")
def test_encoding_a_part_outside_the_alphabet_is_refused(bad: str, good: str) -> None:
    if len(bad) <= 24 and all(ch in ALPHABET for ch in bad):
        return
    for kind, values in ((bad, [good]), (good, [bad])):
        try:
            encode(kind, *values)
        except ValueError:
            continue
        raise AssertionError(f"{kind!r}, {values!r} were encoded")


@given(st.one_of(st.none(), near_misses, st.builds(lambda n: f"v1:x:{n}", st.integers())))
def test_an_id_argument_is_in_range_or_none(data: str | None) -> None:
    for below in (callback_data.SERIAL_ID, callback_data.BIG_SERIAL_ID):
        found = id_arg(data, below=below)
        assert found is None or 0 < found < below


@given(st.lists(st.text(max_size=30), max_size=3))
@example(["²"])
@example(["٣"])
def test_one_id_of_any_arguments_is_in_range_or_none(values: list[str]) -> None:
    found = one_id(tuple(values))
    assert found is None or 0 < found < callback_data.SERIAL_ID
