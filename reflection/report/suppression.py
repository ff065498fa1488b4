"""Small-number suppression for the network report (DESIGN.md §8). Pure functions: numbers in,
`Cell`s out; no database.

Primary: a count from 1 to k−1 prints as "<k" (0 prints as 0: an empty cell reveals nobody).
Secondary: a table is a set of equations "cells of a line = its total". A line whose equation holds
exactly one hidden number would give it away by subtraction, so one more non-zero cell of that line
is hidden too ("×": it is not necessarily small), preferring the smallest body cell, until every line
has 0 or at least 2 hidden numbers. Two further leaks are closed the same way:
- hidden cells linked only through a chain of lines (a "bridge" between two blocks of hidden cells):
  the equations together still fix such a cell, which a linear-algebra check finds;
- a line whose hidden cells are all "<k" and whose remainder is their smallest or largest possible sum
  (e.g. "<5" + "<5" = 8 means 4 and 4).
A total that is itself 1..k−1 is hidden as well, and then takes part in its equations as an unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import pgettext

from .structure import Cell

Position = tuple[int, int]
# One equation: the positions that add up, and the position of their total.
Equation = tuple[tuple[Position, ...], Position]

SECONDARY_TEXT = "×"
NOT_AVAILABLE = "–"


def small_text(k: int) -> str:
    return f"<{k}"


def is_small(count: int, k: int) -> bool:
    return 1 <= count <= k - 1


def count_cell(count: int, k: int, suppressed: str = "") -> Cell:
    """One count on its own (no total to protect): primary suppression only, unless told otherwise."""
    if suppressed == "secondary":
        return Cell(SECONDARY_TEXT, None, "count", "secondary")
    if is_small(count, k) or suppressed == "small":
        return Cell(small_text(k), None, "count", "small")
    return Cell(number_format(count), count, "count")


def text_cell(text: str) -> Cell:
    return Cell(text, text, "text")


def empty_cell() -> Cell:
    return Cell("", None, "text")


# --------------------------------------------------------------------------- the algorithm


def _lines_of(values: dict[Position, int], equations: Sequence[Equation], hidden: dict[Position, str]):
    for parts, total in equations:
        yield parts, total, [p for p in (*parts, total) if p in hidden]


def _hide_one_more(
    values: dict[Position, int], hidden: dict[Position, str], parts: Iterable[Position], total: Position
) -> bool:
    """Hide the smallest non-zero visible cell of a line, a body cell before the total."""
    candidates = [p for p in parts if p not in hidden and values[p] != 0]
    if not candidates and total not in hidden and values[total] != 0:
        candidates = [total]
    if not candidates:
        return False
    hidden[min(candidates, key=lambda p: (values[p], p))] = "secondary"
    return True


def _pinned_by_bounds(
    values: dict[Position, int],
    parts: Sequence[Position],
    total: Position,
    hidden: dict[Position, str],
    k: int,
) -> bool:
    """A line with a printed total whose hidden body cells can only take one set of values."""
    if total in hidden:
        return False
    unknown = [p for p in parts if p in hidden]
    if not unknown:
        return False
    remainder = sum(values[p] for p in unknown)
    lowest = len(unknown)  # hidden cells are never 0
    if remainder == lowest:
        return True
    if all(hidden[p] == "small" for p in unknown):
        return remainder == (k - 1) * len(unknown)
    return False


def _determined(values: dict[Position, int], equations: Sequence[Equation], hidden: dict[Position, str]):
    """Hidden positions whose value the printed cells and the equations fix (linear algebra over Q)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    index = {p: i for i, p in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for parts, total in equations:
        row = [Fraction(0)] * len(unknowns)
        touched = False
        for p in parts:
            if p in index:
                row[index[p]] += 1
                touched = True
        if total in index:
            row[index[total]] -= 1
            touched = True
        if touched:
            rows.append(row)
    # Reduced row echelon form.
    pivots: list[int] = []
    rank = 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [x / lead for x in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    # An unknown is fixed when a row of the reduced system mentions it alone.
    fixed = []
    for r in range(rank):
        nonzero = [c for c, x in enumerate(rows[r]) if x != 0]
        if len(nonzero) == 1:
            fixed.append(unknowns[nonzero[0]])
    return fixed


def suppress(values: dict[Position, int], equations: Sequence[Equation], k: int) -> dict[Position, str]:
    """The hidden positions of a table and why ("small" or "secondary")."""
    hidden: dict[Position, str] = {p: "small" for p, v in values.items() if is_small(v, k)}
    if not hidden:
        return hidden
    while True:
        changed = False
        for parts, total, unknown in _lines_of(values, equations, hidden):
            leaks = len(unknown) == 1 or _pinned_by_bounds(values, parts, total, hidden, k)
            if leaks and _hide_one_more(values, hidden, parts, total):
                changed = True
        if changed:
            continue
        for position in _determined(values, equations, hidden):
            lines = [(parts, total) for parts, total in equations if position in (*parts, total)]
            if any(_hide_one_more(values, hidden, parts, total) for parts, total in lines):
                changed = True
                break
            # Its own lines have nothing left to hide: hide elsewhere in the table.
            _hide_anywhere(values, equations, hidden, position)
            changed = True
            break
        if not changed:
            return hidden


def _hide_anywhere(
    values: dict[Position, int],
    equations: Sequence[Equation],
    hidden: dict[Position, str],
    position: Position,
) -> None:
    """Hide one more non-zero cell somewhere in the table so that `position` is no longer fixed,
    the smallest that does it (a total last); or, when no single cell does, the smallest one. The
    loop in suppress() comes back until nothing is fixed, which happens at the latest when every
    non-zero number is hidden: the zeros that remain printed cannot fix anything, since a multiple
    of the true numbers would fit them as well."""
    totals = {total for _parts, total in equations}
    candidates = sorted(
        (p for p, v in values.items() if v != 0 and p not in hidden),
        key=lambda p: (p in totals, values[p], p),
    )
    for candidate in candidates:
        if position not in _determined(values, equations, {**hidden, candidate: "secondary"}):
            hidden[candidate] = "secondary"
            return
    hidden[candidates[0]] = "secondary"


def _cells(values: dict[Position, int], hidden: dict[Position, str], k: int) -> dict[Position, Cell]:
    return {p: count_cell(v, k, hidden.get(p, "")) for p, v in values.items()}


def suppress_column(counts: Sequence[int], k: int, *, total: bool = True) -> tuple[list[Cell], Cell | None]:
    """A 1-D table: one count per row and (if `total`) a total row. Returns (cells, total cell)."""
    values = {(i, 0): c for i, c in enumerate(counts)}
    equations: list[Equation] = []
    if total:
        values[(len(counts), 0)] = sum(counts)
        equations.append((tuple((i, 0) for i in range(len(counts))), (len(counts), 0)))
    cells = _cells(values, suppress(values, equations, k), k)
    return [cells[(i, 0)] for i in range(len(counts))], cells[(len(counts), 0)] if total else None


def suppress_matrix(
    matrix: Sequence[Sequence[int]], k: int, *, row_totals: bool = True, column_totals: bool = True
) -> list[list[Cell]]:
    """A 2-D table of counts. Returns the cells with a total column appended to each row (if
    `row_totals`) and a total row appended at the bottom (if `column_totals`), the grand total in
    its corner when both."""
    n_rows = len(matrix)
    n_cols = len(matrix[0]) if n_rows else 0
    values: dict[Position, int] = {(i, j): int(matrix[i][j]) for i in range(n_rows) for j in range(n_cols)}
    equations: list[Equation] = []
    if row_totals:
        for i in range(n_rows):
            values[(i, n_cols)] = sum(matrix[i])
            equations.append((tuple((i, j) for j in range(n_cols)), (i, n_cols)))
    if column_totals:
        for j in range(n_cols):
            values[(n_rows, j)] = sum(matrix[i][j] for i in range(n_rows))
            equations.append((tuple((i, j) for i in range(n_rows)), (n_rows, j)))
    if row_totals and column_totals:
        values[(n_rows, n_cols)] = sum(map(sum, matrix))
        equations.append((tuple((n_rows, j) for j in range(n_cols)), (n_rows, n_cols)))
        equations.append((tuple((i, n_cols) for i in range(n_rows)), (n_rows, n_cols)))
    cells = _cells(values, suppress(values, equations, k), k)
    width = n_cols + (1 if row_totals else 0)
    height = n_rows + (1 if column_totals else 0)
    return [[cells[(i, j)] for j in range(width)] for i in range(height)]


# --------------------------------------------------------------------------- derived numbers


def percent_cell(count: Cell, denominator: Cell) -> Cell:
    """count / denominator as a whole percentage. Hidden when either number is hidden: a
    percentage of a hidden count would print it back."""
    if count.suppressed or denominator.suppressed:
        return Cell(SECONDARY_TEXT, None, "percent", count.suppressed or denominator.suppressed)
    if not denominator.value:
        return Cell(NOT_AVAILABLE, None, "percent")
    share = round(100 * float(count.value or 0) / float(denominator.value))
    # Translators: a whole percentage; French puts a non-breaking space before the sign.
    return Cell(pgettext("percentage", "%(share)s%%") % {"share": number_format(share)}, share, "percent")


def median_cell(median: float | None, group_size: int, k: int) -> Cell:
    """A median (in days), shown only for a group of at least k."""
    if group_size == 0 or median is None:
        return Cell(NOT_AVAILABLE, None, "median")
    if group_size < k:
        return Cell(NOT_AVAILABLE, None, "median", "median_small_group")
    value = round(float(median), 1)
    return Cell(number_format(value, decimal_pos=1), value, "median")
