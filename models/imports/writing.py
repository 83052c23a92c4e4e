"""Writing a checked file all or nothing: its rows and its audit entry in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.audit import AuditEntry

Report = TypeVar("Report")
# An audit only reads a report, so one for any report reads a narrower one too.
Report_contra = TypeVar("Report_contra", contravariant=True)


@dataclass(frozen=True)
class ImportAudit(Generic[Report_contra]):
    """The audit entry of an import: done by the system to the school, with counts only."""

    school: School
    action: str
    details: Callable[[Report_contra], dict[str, Any]]

    async def record(self, report: Report_contra) -> AuditEntry:
        return await AuditEntry.create(
            school=self.school,
            actor_kind="system",
            action=self.action,
            subject_kind="school",
            subject_id=self.school.id,
            details=self.details(report),
        )


async def write_all_or_nothing(
    write: Callable[[BaseDBAsyncClient], Awaitable[Report]],
    *,
    audit: ImportAudit[Report] | None,
) -> Report:
    """Run `write` and record `audit` in one transaction: any error leaves nothing behind.

    `write` gets the transaction's connection for queries the ORM cannot express. Without
    `audit`, the write records its own audit entries (in the same transaction).
    """
    async with in_transaction() as connection:
        report = await write(connection)
        if audit is not None:
            await audit.record(report)
    return report
