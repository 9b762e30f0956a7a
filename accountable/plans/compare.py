"""Two plan snapshots side by side, with the differences marked (pure: plain dicts in, rows out).

Sections are compared by name; objectives, milestones and risks by title, since a title is how
people recognise them across versions (a renamed one shows as removed and added).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SAME = "same"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"


@dataclass(frozen=True)
class Row:
    label: str
    left: str
    right: str
    change: str


def _state(left: str | None, right: str | None) -> str:
    if left is None:
        return ADDED
    if right is None:
        return REMOVED
    return SAME if left == right else CHANGED


def objective_text(objective: dict[str, Any]) -> str:
    unit = f" {objective['unit']}" if objective.get("unit") else ""
    lines = [
        f"{objective['metric']}: {objective['baseline']} → {objective['target']}{unit} "
        f"by {objective['due_on']} ({objective['indicator']})",
    ]
    if objective.get("current") is not None:
        lines.append(f"Now: {objective['current']}{unit}")
    for initiative in objective.get("initiatives", []):
        lines.append(f"• {initiative['title']}")
        for action in initiative.get("actions", []):
            lines.append(
                f"  – {action['title']} ({action['owner']}, {action['due_on']}, "  # noqa: RUF001
                f"{action['status']})"
            )
    return "\n".join(lines)


def _by_title(
    label: str, left: list[dict[str, Any]], right: list[dict[str, Any]], text: Any
) -> list[Row]:
    lefts = {item["title"]: text(item) for item in left}
    rights = {item["title"]: text(item) for item in right}
    titles = list(lefts) + [t for t in rights if t not in lefts]
    return [
        Row(
            label=f"{label}: {title}",
            left=lefts.get(title, ""),
            right=rights.get(title, ""),
            change=_state(lefts.get(title), rights.get(title)),
        )
        for title in titles
    ]


def snapshot_compare(
    left: dict[str, Any], right: dict[str, Any], headings: dict[str, str]
) -> list[Row]:
    """Rows of (what, left, right, change) for every part of either snapshot."""
    rows = [
        Row("Title", left["title"], right["title"], _state(left["title"], right["title"])),
        Row(
            "Period",
            f"{left['period_start']} – {left['period_end']}",  # noqa: RUF001
            f"{right['period_start']} – {right['period_end']}",  # noqa: RUF001
            _state(
                f"{left['period_start']} {left['period_end']}",
                f"{right['period_start']} {right['period_end']}",
            ),
        ),
    ]
    for name, heading in headings.items():
        a = left["sections"].get(name, "")
        b = right["sections"].get(name, "")
        rows.append(Row(heading, a, b, _state(a, b)))
    rows += _by_title("Objective", left["objectives"], right["objectives"], objective_text)
    rows += _by_title(
        "Milestone",
        left["milestones"],
        right["milestones"],
        lambda m: f"{m['due_on']}" + (f" (reached {m['reached_on']})" if m["reached_on"] else ""),
    )
    rows += _by_title(
        "Risk",
        left["risks"],
        right["risks"],
        lambda r: (
            f"Severity {r['severity']}, likelihood {r['likelihood']}, owner "
            f"{r['owner'] or '—'}. {r['mitigation']}".strip()
        ),
    )
    return rows
