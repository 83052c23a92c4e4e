"""A file's rows as read, and the problems collected while reading and checking them."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.imports.problems import ImportInvalid, Problem


@dataclass(frozen=True)
class Row:
    """One data row: its first physical line and its cells, stripped, by column.

    A column the file may leave out (an optional one) reads as blank.
    """

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file's rows, or the problems that made it unreadable (then `rows` is empty)."""

    file: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True

    def problem(self, line: int, column: str, message: str, /, **params: str) -> None:
        self.problems.append(Problem(self.file, line, column, message, params))

    def fail(self, line: int, column: str, message: str, /, **params: str) -> None:
        """A problem with the file as a whole: none of its rows can be trusted."""
        self.problem(line, column, message, **params)
        self.readable = False


def refuse(*tables: Table) -> None:
    """Raise ImportInvalid if any table has a problem: file by file, each in line order."""
    problems = [
        problem
        for table in tables
        for problem in sorted(table.problems, key=lambda problem: problem.line)
    ]
    if problems:
        raise ImportInvalid(problems)
