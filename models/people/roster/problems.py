"""What an import reports back: the problems that stopped it, or the counts of what changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from models.common.errors import N_, DomainError

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class RosterProblem:
    """One thing to fix in a roster file; `line` is 0 when the whole file is the problem."""

    file: str
    line: int
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)


class RosterInvalid(DomainError):
    """The roster files were refused; `problems` lists the first ones in file and line order."""

    message = N_("Nothing was imported. Problems found: {count}.")

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = len(problems)
        super().__init__(count=str(self.total))


@dataclass
class ImportReport:
    """Counts per kind: "staff", "classes", "pupils", "guardians" and "links"."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)

    def as_details(self) -> dict[str, dict[str, int]]:
        """The counts as plain dicts, for the audit log."""
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "left": dict(self.left),
        }
