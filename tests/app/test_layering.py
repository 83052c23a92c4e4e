"""The layer contracts in pyproject.toml hold: `lint-imports` (import-linter) checks them.

CI runs the same command in `make lint`; running it here too means `make test` alone also fails
when, say, models/ imports Telegram or a handler queries a table.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["name"] for contract in config["tool"]["importlinter"]["contracts"]]


def test_every_layer_has_a_contract() -> None:
    names = " | ".join(contract_names())
    for layer in ("models", "scheduler", "Handlers", "Layers"):
        assert layer in names, f"no import-linter contract about {layer}: {names}"


def test_the_layer_contracts_are_kept() -> None:
    result = subprocess.run(  # noqa: S603 - our own venv's lint-imports, no shell
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in contract_names():
        assert f"{name} KEPT" in result.stdout, result.stdout
