"""What a preset is: the kinds of file it takes, known by their columns, in the order to import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accountable.exchange.engine import ImportContext
from accountable.exchange.readers import SourceFile

Handler = Callable[[ImportContext, dict[str, Any], SourceFile], None]


@dataclass(frozen=True)
class FileKind:
    name: str
    columns: frozenset[str]  # a file is of this kind when its header has all of these
    handler: Handler


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    kinds: tuple[FileKind, ...]  # in the order files are imported
    ignored: tuple[tuple[frozenset[str], str], ...] = ()  # (columns, why a file is left out)

    def classify(self, header: list[str]) -> FileKind | None:
        """The most specific kind whose columns the header has."""
        have = set(header)
        matches = [k for k in self.kinds if k.columns <= have]
        return max(matches, key=lambda k: len(k.columns)) if matches else None

    def ignored_reason(self, header: list[str]) -> str | None:
        have = set(header)
        for columns, why in self.ignored:
            if columns <= have:
                return why
        return None


def required(row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise ValueError("is empty")
    return value
