"""Writing a valid roster into the database: a fixed handful of queries, in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar, cast

from pypika_tortoise.queries import Table
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.relational import ManyToManyFieldInstance

from models.calendar.school import School
from models.imports import ImportAudit, write_all_or_nothing
from models.people.roster.report import RosterReport
from models.people.roster.validate import LinkRecord, Roster, StaffRecord
from models.people.tables import Guardian, GuardianLink, Pupil, SchoolClass, Staff

Person = TypeVar("Person", Staff, Pupil, Guardian)


async def apply_roster(school: School, roster: Roster, *, now: datetime) -> RosterReport:
    """Upsert everything in `roster` for `school`; whoever is missing is marked as left."""
    return await write_all_or_nothing(
        partial(_apply, school, roster, now),
        audit=ImportAudit(school, "roster_imported", RosterReport.as_details),
    )


async def _apply(
    school: School, roster: Roster, now: datetime, connection: BaseDBAsyncClient
) -> RosterReport:
    report = RosterReport()
    class_ids = await _apply_classes(school, roster.classes, report)
    await _apply_staff(school, roster.staff, class_ids, now, report, connection)
    pupil_ids = await _upsert(
        Pupil,
        school,
        {
            p.external_id: {
                "first_name": p.first_name,
                "last_name": p.last_name,
                "year_group": p.year_group,
                "school_class_id": class_ids[p.class_name],
            }
            for p in roster.pupils
        },
        existing=await Pupil.filter(school=school),
        now=now,
        report=report,
        kind="pupils",
    )
    guardian_ids = await _upsert(
        Guardian,
        school,
        {
            g.external_id: {
                "first_name": g.first_name,
                "last_name": g.last_name,
                "email": g.email,
                "phone": g.phone,
                "language": g.language,
            }
            for g in roster.guardians
        },
        existing=await Guardian.filter(school=school),
        now=now,
        report=report,
        kind="guardians",
    )
    await _apply_links(school, roster.links, guardian_ids, pupil_ids, report)
    return report


async def _apply_classes(
    school: School, names: tuple[str, ...], report: RosterReport
) -> dict[str, int]:
    existing = await SchoolClass.filter(school=school)
    ids = {c.name: c.id for c in existing if c.name in names}
    report.unchanged["classes"] += len(ids)
    unclaimed = [c for c in existing if c.id not in ids.values()]
    renamed, new = [], []
    for name in names:
        if name in ids:
            continue
        # `3b` in the database and `3B` in the file are the same class, now spelled `3B`.
        match = next((c for c in unclaimed if c.name.casefold() == name.casefold()), None)
        if match is None:
            new.append(SchoolClass(school=school, name=name))
            continue
        unclaimed.remove(match)
        match.name = name
        renamed.append(match)
        ids[name] = match.id
    if renamed:
        await SchoolClass.bulk_update(renamed, fields=["name"])
    if new:
        await SchoolClass.bulk_create(new)
        ids.update(await SchoolClass.filter(school=school).values_list("name", "id"))
    report.updated["classes"] += len(renamed)
    report.created["classes"] += len(new)
    return ids


async def _apply_staff(
    school: School,
    records: tuple[StaffRecord, ...],
    class_ids: dict[str, int],
    now: datetime,
    report: RosterReport,
    connection: BaseDBAsyncClient,
) -> None:
    existing = await Staff.filter(school=school)
    current: defaultdict[int, set[int]] = defaultdict(set)
    for staff_id, class_id in await Staff.filter(school=school).values_list("id", "classes__id"):
        if class_id is not None:
            current[staff_id].add(class_id)
    wanted = {r.external_id: {class_ids[name] for name in r.classes} for r in records}
    moved = {s.external_id for s in existing if current[s.id] != wanted.get(s.external_id, set())}
    staff_ids = await _upsert(
        Staff,
        school,
        {
            r.external_id: {
                "first_name": r.first_name,
                "last_name": r.last_name,
                "email": r.email,
                "role": r.role,
            }
            for r in records
        },
        existing=existing,
        now=now,
        report=report,
        kind="staff",
        also_changed=moved & wanted.keys(),
    )
    existing_ids = {s.external_id: s.id for s in existing}
    await _replace_memberships(
        connection,
        replaced={existing_ids[external_id] for external_id in moved},
        pairs=[
            (staff_ids[external_id], class_id)
            for external_id, classes in wanted.items()
            if external_id in moved or external_id not in existing_ids
            for class_id in sorted(classes)
        ],
    )


async def _replace_memberships(
    connection: BaseDBAsyncClient, *, replaced: set[int], pairs: list[tuple[int, int]]
) -> None:
    # Tortoise's M2M API costs queries per staff member; the join table takes two in all.
    field = cast(ManyToManyFieldInstance, Staff._meta.fields_map["classes"])
    through = Table(field.through)
    if replaced:
        delete = (
            connection.query_class.from_(through)
            .where(through[field.backward_key].isin(sorted(replaced)))
            .delete()
        )
        await connection.execute_query(*delete.get_parameterized_sql())
    if pairs:
        insert = connection.query_class.into(through).columns(field.backward_key, field.forward_key)
        for staff_id, class_id in pairs:
            insert = insert.insert(staff_id, class_id)
        await connection.execute_query(*insert.get_parameterized_sql())


async def _upsert(
    model: type[Person],
    school: School,
    wanted: dict[str, dict[str, Any]],
    *,
    existing: list[Person],
    now: datetime,
    report: RosterReport,
    kind: str,
    also_changed: Iterable[str] = (),
) -> dict[str, int]:
    """Create, update or mark as left by external id; returns every current row's id."""
    by_external_id = {row.external_id: row for row in existing}
    touched_anyway = set(also_changed)
    new: list[Person] = []
    updated: list[Person] = []
    fields = {"updated_at"}
    for external_id, values in wanted.items():
        row = by_external_id.get(external_id)
        if row is None:
            new.append(model(school=school, external_id=external_id, **values))
            continue
        changed = {name for name, value in values.items() if getattr(row, name) != value}
        for name in changed:
            setattr(row, name, values[name])
        if row.left_at is not None:
            row.left_at = None
            changed.add("left_at")
        if changed or external_id in touched_anyway:
            updated.append(row)
            fields |= changed
        else:
            report.unchanged[kind] += 1
    left: list[Person] = [p for p in existing if p.external_id not in wanted and p.left_at is None]
    for person in left:
        person.left_at = now
        fields.add("left_at")
    touched = updated + left
    if touched:
        # `updated_at` is auto_now: listing it stamps the write time.
        await model.bulk_update(touched, fields=sorted(fields))
    if new:
        await model.bulk_create(new)
    report.created[kind] += len(new)
    report.updated[kind] += len(updated)
    report.left[kind] += len(left)
    if not new:
        return {person.external_id: person.id for person in existing}
    return dict(await model.filter(school=school).values_list("external_id", "id"))


async def _apply_links(
    school: School,
    records: tuple[LinkRecord, ...],
    guardian_ids: dict[str, int],
    pupil_ids: dict[str, int],
    report: RosterReport,
) -> None:
    existing = {
        (link.guardian_id, link.pupil_id): link
        for link in await GuardianLink.filter(guardian__school=school)
    }
    new, updated = [], []
    for record in records:
        guardian_id, pupil_id = guardian_ids[record.guardian_id], pupil_ids[record.pupil_id]
        link = existing.pop((guardian_id, pupil_id), None)
        if link is None:
            new.append(
                GuardianLink(
                    guardian_id=guardian_id,
                    pupil_id=pupil_id,
                    relationship=record.relationship,
                    receives_reports=record.receives_reports,
                )
            )
        elif (link.relationship, link.receives_reports) != (
            record.relationship,
            record.receives_reports,
        ):
            link.relationship = record.relationship
            link.receives_reports = record.receives_reports
            updated.append(link)
        else:
            report.unchanged["links"] += 1
    if updated:
        await GuardianLink.bulk_update(
            updated, fields=["relationship", "receives_reports", "updated_at"]
        )
    if new:
        await GuardianLink.bulk_create(new)
    # Links carry no history: one that is no longer in the file is simply gone.
    if existing:
        await GuardianLink.filter(id__in=[link.id for link in existing.values()]).delete()
    report.created["links"] += len(new)
    report.updated["links"] += len(updated)
    report.left["links"] += len(existing)
