"""Every outbox kind is declared once in models/ and bound once in handlers/, and nothing else.

A kind that can be produced but has no delivery class, no renderer for its readers, or (being
routine) no digest paragraph fails here, as does a producer passing a bare string for a kind,
and a feature whose declarations or bindings the two indexes leave out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import handlers.delivery.kinds as bindings
import models.delivery.kinds as declarations
from handlers.delivery.kinds import IncompleteNotice, Notice, bound_notices, notice
from handlers.delivery.notices import FEATURE_NOTICES
from models.delivery.kinds import Audience, DeliveryClass, NoticeKind, declared_kinds, kind_of
from models.notices import FEATURE_KINDS

ROOT = Path(__file__).resolve().parents[2]
# What takes a kind, and at which position: the outbox row and the queuing helpers.
KIND_ARGUMENT = {"notify_guardians": 1, "queue_follow_up": 1, "queue_for": 2}
ROW_CALLS = {"Notification", "create", "filter", "get", "get_or_none", "exclude", "exists"}


def missing(kinds: Iterable[NoticeKind], notices: Iterable[Notice]) -> list[str]:
    """What each kind lacks to be delivered: a class, a renderer per audience, a digest line."""
    bound = {n.kind: n for n in notices}
    problems = []
    for kind in kinds:
        if kind_of(kind) is not kind or kind.delivery not in DeliveryClass:
            problems.append(f"{kind}: no delivery class the outbox policy can find")
        binding = bound.get(kind)
        if binding is None:
            problems.append(f"{kind}: no renderer")
            continue
        if Audience.GUARDIAN in kind.audience and binding.render is None:
            problems.append(f"{kind}: no renderer for guardians")
        if Audience.STAFF in kind.audience and binding.render_for_staff is None:
            problems.append(f"{kind}: no renderer for staff")
        if kind.digestible and binding.digest is None:
            problems.append(f"{kind}: routine but no digest line")
    return problems


def bare_kinds(source: str, name: str) -> Iterator[str]:
    """Places where a kind is given as a string literal instead of a declared member."""
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        kinds: list[ast.expr] = []
        if called in KIND_ARGUMENT:
            position = KIND_ARGUMENT[called]
            kinds += node.args[position : position + 1]
        if called in KIND_ARGUMENT or called in ROW_CALLS:
            kinds += [k.value for k in node.keywords if k.arg in ("kind", "kind__in")]
        for value in kinds:
            literals = value.elts if isinstance(value, ast.List | ast.Tuple | ast.Set) else [value]
            for literal in literals:
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    yield f"{name}:{literal.lineno}: {called}(kind={literal.value!r})"


def sources(*folders: str) -> Iterator[tuple[str, str]]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_every_declared_kind_has_a_class_a_renderer_and_if_routine_a_digest_line() -> None:
    assert declared_kinds(), "no kinds declared: models/notices.py not loaded"
    assert missing(declared_kinds(), bound_notices()) == []


def test_nothing_is_bound_that_is_not_declared() -> None:
    assert {n.kind for n in bound_notices()} <= set(declared_kinds())


def test_producers_pass_declared_kinds_never_bare_strings() -> None:
    found = [
        hit
        for name, text in sources("models", "handlers", "scheduler", "bot")
        for hit in bare_kinds(text, name)
    ]
    assert found == []


def test_every_feature_declaring_or_binding_kinds_is_in_the_indexes() -> None:
    declaring, binding = set(), set()
    for name, text in sources("models", "handlers"):
        module = name.removesuffix(".py").replace("/", ".")
        for node in ast.parse(text, name).body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "NoticeKind" for b in node.bases
            ):
                declaring.add(module)
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "notice":
                binding.add(module)
    assert declaring == {kinds.__module__ for kinds in FEATURE_KINDS}
    assert binding == {m.__name__ for m in FEATURE_NOTICES}


@pytest.mark.parametrize(
    ("imported", "listed"),
    [
        # The outbox alone (as the scheduler's policy uses it) knows every kind ...
        ("models.delivery.policy", "models.delivery.kinds:declared_kinds"),
        # ... and delivery alone has every kind's renderer.
        ("handlers.delivery.notices", "handlers.delivery.kinds:bound_notices"),
    ],
)
def test_importing_the_outbox_or_delivery_loads_every_feature(imported: str, listed: str) -> None:
    module, function = listed.split(":")
    script = f"import {imported}\nfrom {module} import {function}\nprint(len({function}()))"
    # The running interpreter and a script written here: nothing from outside.
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert int(out.stdout) == len(declared_kinds())


# The checks above would catch the mistakes they are for.


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declarations and bindings made in a test stay in that test."""
    monkeypatch.setattr(declarations, "_DECLARED", dict(declarations._DECLARED))
    monkeypatch.setattr(bindings, "_NOTICES", dict(bindings._NOTICES))


async def _render(*_args: object) -> int:
    return 1


async def _paragraph(*_args: object) -> str:
    return ""


@pytest.mark.usefixtures("scratch")
def test_a_kind_with_no_renderer_is_caught() -> None:
    class Scratch(NoticeKind):
        UNRENDERED = "scratch_unrendered", DeliveryClass.IMMEDIATE

    problems = missing(declared_kinds(), bound_notices())
    assert problems == ["scratch_unrendered: no renderer"]
    notice(Scratch.UNRENDERED, render=_render)
    assert missing(declared_kinds(), bound_notices()) == []


@pytest.mark.usefixtures("scratch")
def test_a_binding_must_give_what_the_declaration_calls_for() -> None:
    class Scratch(NoticeKind):
        ROUTINE = "scratch_routine", DeliveryClass.ROUTINE
        TO_STAFF = "scratch_to_staff", DeliveryClass.IMMEDIATE, Audience.STAFF

    with pytest.raises(IncompleteNotice, match="needs a digest line"):
        notice(Scratch.ROUTINE, render=_render)
    with pytest.raises(IncompleteNotice, match="needs a renderer for staff"):
        notice(Scratch.TO_STAFF)
    with pytest.raises(IncompleteNotice, match="has a renderer for guardians"):
        notice(Scratch.TO_STAFF, render=_render, render_for_staff=_render)
    notice(Scratch.ROUTINE, render=_render, digest=_paragraph)
    with pytest.raises(IncompleteNotice, match="bound twice"):
        notice(Scratch.ROUTINE, render=_render, digest=_paragraph)


@pytest.mark.usefixtures("scratch")
def test_a_code_declared_twice_is_refused() -> None:
    with pytest.raises(declarations.KindDeclaredTwice):

        class Again(NoticeKind):
            TARGET_SET = "target_set", DeliveryClass.IMMEDIATE


def test_a_bare_string_kind_is_caught() -> None:
    source = (
        "Notification(kind='new_kind', chat_id=1)\n"
        "await notify_guardians(pupil, 'other_kind', {}, now=now, key='k')\n"
        "await queue_for(to, pupil, 'offer', params, due_at=now, key=key)\n"
        "await Notification.filter(kind__in=['a', Kinds.B]).count()\n"
        "await notify_guardians(pupil, Kinds.DECLARED, {}, now=now, key='k')\n"
        "current_flow(chat, now=now, kind=FLOW)\n"
    )
    assert [hit.split(": ", 1)[1] for hit in bare_kinds(source, "x.py")] == [
        "Notification(kind='new_kind')",
        "notify_guardians(kind='other_kind')",
        "queue_for(kind='offer')",
        "filter(kind='a')",
    ]
