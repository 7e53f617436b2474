"""The history of the worksheet as read: each version with who saved it, when, their note and
what it changed from the version before (assumptions from/to, lines added and removed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from roi.models import WorksheetVersion
from roi.services import ASSUMPTION_FIELDS, assumption_label, version_state


@dataclass
class HistoryRow:
    version: WorksheetVersion
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def history_rows(versions: list[WorksheetVersion]) -> list[HistoryRow]:
    """`versions` newest first, as `selectors.version_history` returns them: one more than
    shown, the last only to say what the oldest shown changed (unless it is version 1)."""
    states = [version_state(v) for v in versions]
    shown = versions if versions and versions[-1].number == 1 else versions[:-1]
    rows = []
    for i, version in enumerate(shown):
        after = states[i]
        before = states[i + 1] if i + 1 < len(states) else {}
        row = HistoryRow(version)
        for name in ASSUMPTION_FIELDS:
            if before.get(name) != after[name]:
                label = assumption_label(name)
                row.changes.append((label, before.get(name, ""), after[name]))
        old, new = before.get("lines", []), after["lines"]
        row.added = [line for line in new if line not in old]
        row.removed = [line for line in old if line not in new]
        rows.append(row)
    return rows
