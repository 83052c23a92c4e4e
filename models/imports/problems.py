"""What stops an import: each problem with its file, line and column, and the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.common.errors import N_, DomainError

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a file; `line` is 0 when the whole file is the problem.

    `message` is a msgid with `{placeholders}` filled from `params` by whoever shows it.
    """

    file: str
    line: int
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)


class ImportInvalid(DomainError):
    """The files were refused and nothing was written; `problems` lists the first ones."""

    message = N_("Nothing was imported. Problems found: {count}.")

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = len(problems)
        super().__init__(count=str(self.total))
