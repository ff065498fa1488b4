"""The plain data a network report is made of: the contract between `indicators.build_report()`
(which computes and suppresses) and `render` (which prints). Nothing here holds a raw small number:
a suppressed cell has no value, so no renderer, CSV or chart can print what must stay hidden.
All text is already in the report's language (built under `translation.override`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

CellKind = Literal["count", "median", "percent", "text"]
Suppression = Literal["", "small", "secondary", "median_small_group"]


@dataclass(frozen=True)
class Cell:
    """One printed value. `value` is None whenever `suppressed` is set."""

    text: str  # what is printed, e.g. "12", "<5", "×", "3,5", "–"
    value: int | float | str | None = None  # the number as printed (None when suppressed or empty)
    kind: CellKind = "count"
    suppressed: Suppression = ""


@dataclass(frozen=True)
class Row:
    key: str  # stable machine key (code of a need domain, status, age band...), used in CSV
    label: str  # in the report's language
    cells: list[Cell]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # stable slug; the CSV file is f"{key}.csv"
    title: str
    columns: list[str]  # headers of the value columns (the row label column comes first)
    rows: list[Row]
    row_header: str = ""  # header of the label column
    note: str = ""  # definition or caveat printed under the table
    chart: Literal["", "bar", "funnel"] = ""  # render an inline SVG chart of the first value column


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: list[Table]
    intro: str = ""


@dataclass(frozen=True)
class NetworkReport:
    network: str  # e.g. the municipality's name
    period_start: datetime.date
    period_end: datetime.date  # inclusive
    generated_at: datetime.datetime
    language: str
    k: int
    sections: list[Section] = field(default_factory=list)
    # (term, definition) pairs for the methodology page, in the report's language.
    definitions: list[tuple[str, str]] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]
