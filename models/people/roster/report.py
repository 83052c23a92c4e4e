"""What a roster import reports back: the counts of what changed, per kind of record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RosterReport:
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
