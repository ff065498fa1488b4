"""Small-number suppression (reflection/report/suppression.py): worked examples, and properties over
random tables checked with an independent solver: no printed count lies in 1..k−1, no hidden number
can be worked out from the printed ones, and every printed number is true."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from reflection.report import suppression as sup
from reflection.report.structure import Cell, NetworkReport


def texts(cells) -> list[str]:
    return [cell.text for cell in cells]


# --------------------------------------------------------------------------- worked examples


def test_primary_zero_and_large_counts():
    assert sup.count_cell(0, 5) == Cell("0", 0, "count", "")
    assert sup.count_cell(1, 5) == Cell("<5", None, "count", "small")
    assert sup.count_cell(4, 5) == Cell("<5", None, "count", "small")
    assert sup.count_cell(5, 5) == Cell("5", 5, "count", "")


def test_column_hides_the_next_smallest_non_zero_cell():
    cells, total = sup.suppress_column([3, 10, 0, 7], 5)
    assert texts(cells) == ["<5", "10", "0", "×"]
    assert total == Cell("20", 20, "count", "")
    assert cells[3].value is None and cells[3].suppressed == "secondary"


def test_column_with_a_small_total_hides_the_total():
    cells, total = sup.suppress_column([3, 0], 5)
    assert texts(cells) == ["<5", "0"]
    assert total.text == "<5"


def test_column_without_total_only_primary():
    cells, total = sup.suppress_column([3, 10, 0], 5, total=False)
    assert texts(cells) == ["<5", "10", "0"]
    assert total is None


def test_two_small_cells_at_their_largest_are_hidden_further():
    # "<5" + "<5" = 8 can only be 4 + 4: the total must go.
    cells, total = sup.suppress_column([4, 4, 0], 5)
    assert texts(cells) == ["<5", "<5", "0"]
    assert total.text == "×"


def test_small_cells_adding_up_to_their_count_are_hidden_further():
    # Three "<5" and a printed remainder of 3 would be 1 + 1 + 1: the 20 hides as well.
    cells, total = sup.suppress_column([1, 1, 1, 20], 5)
    assert texts(cells) == ["<5", "<5", "<5", "×"]
    assert total.text == "23"


def test_matrix_row_and_column_totals():
    grid = sup.suppress_matrix([[3, 10, 6], [0, 8, 9], [12, 1, 7]], 5)
    assert [texts(row) for row in grid] == [
        ["<5", "10", "×", "19"],
        ["0", "×", "×", "17"],
        ["×", "<5", "×", "20"],
        ["15", "19", "22", "56"],
    ]


def test_matrix_bridge_between_two_hidden_blocks_is_closed():
    # Each line has two hidden cells after the line rule, but (0, 2) would still follow from the
    # equations together; the linear check hides more.
    matrix = [[1, 1, 9, 0, 9], [1, 1, 0, 0, 9], [0, 0, 1, 1, 9], [0, 0, 1, 1, 9], [9, 9, 9, 9, 9]]
    grid = sup.suppress_matrix(matrix, 2)
    assert_safe_matrix(matrix, grid, 2, True, True)


def test_matrix_cell_fixed_through_the_totals_is_protected_outside_its_own_lines():
    # Found by the property test: the bottom-middle "<2" followed from the two total lines together
    # (column 0 and the row totals add up to it), and both of its own lines had nothing left to hide.
    matrix = [[2, 0, 0], [0, 1, 2], [1, 1, 0]]
    grid = sup.suppress_matrix(matrix, 2)
    assert_safe_matrix(matrix, grid, 2, True, True)
    assert [texts(row) for row in grid] == [
        ["×", "0", "0", "×"],
        ["0", "<2", "×", "×"],
        ["<2", "<2", "0", "×"],
        ["3", "×", "×", "7"],
    ]


def test_percent_of_hidden_count_is_hidden():
    shown, hidden, total = sup.count_cell(6, 5), sup.count_cell(3, 5), sup.count_cell(12, 5)
    assert sup.percent_cell(shown, total) == Cell("50%", 50, "percent", "")
    assert sup.percent_cell(hidden, total) == Cell("×", None, "percent", "small")
    assert sup.percent_cell(shown, sup.count_cell(0, 5)).text == "–"


@pytest.mark.parametrize(("language", "text"), [("nl", "50%"), ("en", "50%"), ("fr", "50\u00a0%")])
def test_percent_is_written_the_way_the_language_writes_it(language, text):
    with translation.override(language):
        assert sup.percent_cell(sup.count_cell(6, 5), sup.count_cell(12, 5)).text == text


def test_median_needs_a_group_of_k():
    with translation.override("nl"):
        assert sup.median_cell(3.25, 5, 5) == Cell("3,2", 3.2, "median", "")
    with translation.override("en"):
        assert sup.median_cell(2, 5, 5).text == "2.0"
    assert sup.median_cell(2, 4, 5) == Cell("–", None, "median", "median_small_group")
    assert sup.median_cell(None, 0, 5) == Cell("–", None, "median", "")


# --------------------------------------------------------------------------- an independent check


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(hidden: list, equations: list[tuple[list, object]]) -> list:
    """Hidden positions that the equations (cells of a line = its total) fix, whatever the rest."""
    index = {p: i for i, p in enumerate(hidden)}
    matrix = []
    for parts, total in equations:
        row = [Fraction(0)] * len(hidden)
        for p in parts:
            if p in index:
                row[index[p]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    if not matrix:
        return []
    base = _rank(matrix)
    fixed = []
    for p, i in index.items():
        unit = [Fraction(0)] * len(hidden)
        unit[i] = Fraction(1)
        if _rank([*matrix, unit]) == base:
            fixed.append(p)
    return fixed


def assert_safe(values: dict, cells: dict, equations: list[tuple[list, object]], k: int) -> None:
    for p, value in values.items():
        cell = cells[p]
        if cell.suppressed:
            assert cell.value is None
            assert value != 0, "a 0 is never hidden"
            assert cell.text == (f"<{k}" if cell.suppressed == "small" else "×")
            if cell.suppressed == "secondary":
                assert cell.text != f"<{k}"
            else:
                assert 1 <= value <= k - 1
        else:
            assert not 1 <= value <= k - 1, f"{value} printed"
            assert cell.value == value and cell.text == number_format(value)
    hidden = [p for p in values if cells[p].suppressed]
    for parts, total in equations:
        unknown = [p for p in (*parts, total) if cells[p].suppressed]
        assert len(unknown) != 1, f"{unknown} follows from its line"
        if not cells[total].suppressed and unknown:
            remainder = sum(values[p] for p in unknown)
            assert remainder != len(unknown), "hidden cells that can only all be 1"
            if all(cells[p].suppressed == "small" for p in unknown):
                assert remainder != (k - 1) * len(unknown), "hidden cells that can only all be k−1"
    assert recoverable(hidden, equations) == []


def assert_safe_matrix(matrix, grid, k, row_totals, column_totals) -> None:
    n_rows, n_cols = len(matrix), len(matrix[0])
    values, equations = {}, []
    for i in range(n_rows):
        for j in range(n_cols):
            values[(i, j)] = matrix[i][j]
    if row_totals:
        for i in range(n_rows):
            values[(i, n_cols)] = sum(matrix[i])
            equations.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    if column_totals:
        for j in range(n_cols):
            values[(n_rows, j)] = sum(row[j] for row in matrix)
            equations.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    if row_totals and column_totals:
        values[(n_rows, n_cols)] = sum(map(sum, matrix))
        equations.append(([(n_rows, j) for j in range(n_cols)], (n_rows, n_cols)))
        equations.append(([(i, n_cols) for i in range(n_rows)], (n_rows, n_cols)))
    cells = {(i, j): grid[i][j] for i in range(len(grid)) for j in range(len(grid[i]))}
    assert set(cells) == set(values)
    assert_safe(values, cells, equations, k)


counts = st.one_of(st.just(0), st.integers(1, 6), st.integers(0, 40))


@settings(max_examples=400, deadline=None)
@given(column=st.lists(counts, min_size=1, max_size=9), k=st.integers(2, 6), total=st.booleans())
def test_property_columns(column, k, total):
    cells, total_cell = sup.suppress_column(column, k, total=total)
    values = {(i, 0): v for i, v in enumerate(column)}
    by_position = {(i, 0): c for i, c in enumerate(cells)}
    equations = []
    if total:
        values[(len(column), 0)] = sum(column)
        by_position[(len(column), 0)] = total_cell
        equations.append(([(i, 0) for i in range(len(column))], (len(column), 0)))
    assert_safe(values, by_position, equations, k)


@settings(max_examples=1000, deadline=None)
@given(
    matrix=st.integers(1, 5).flatmap(
        lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
    ),
    k=st.integers(2, 6),
    totals=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_property_matrices(matrix, k, totals):
    row_totals, column_totals = totals
    grid = sup.suppress_matrix(matrix, k, row_totals=row_totals, column_totals=column_totals)
    assert_safe_matrix(matrix, grid, k, row_totals, column_totals)


# --------------------------------------------------------------------------- a built report


def assert_count_cells_safe(report: NetworkReport) -> None:
    """What can be checked on a built report without its raw numbers: no printed count in 1..k−1,
    hidden cells carry no value, and no line with a total has exactly one hidden cell."""
    k = report.k
    with translation.override(report.language):
        total_label = translation.gettext("Total")
    for table in report.tables():
        for row in table.rows:
            for cell in row.cells:
                if cell.suppressed:
                    assert cell.value is None, (table.key, row.key)
                    expected = {"small": f"<{k}", "secondary": "×", "median_small_group": "–"}[
                        cell.suppressed
                    ]
                    assert cell.text == expected or cell.kind == "percent", (table.key, row.key, cell)
                elif cell.kind == "count":
                    assert isinstance(cell.value, int) and not 1 <= cell.value <= k - 1, (
                        table.key,
                        row.key,
                        cell,
                    )
        counts_only = [
            j for j in range(len(table.columns)) if all(row.cells[j].kind == "count" for row in table.rows)
        ]
        if table.rows and table.rows[-1].is_total:
            for j in counts_only:
                hidden = sum(1 for row in table.rows if row.cells[j].suppressed)
                assert hidden != 1, (table.key, j)
        if table.columns and table.columns[-1] == total_label and len(counts_only) == len(table.columns):
            for row in table.rows:
                assert sum(1 for cell in row.cells if cell.suppressed) != 1, (table.key, row.key)


@pytest.mark.django_db
def test_property_holds_on_a_built_report(world):
    from reflection.report.indicators import build_report

    from .report_world import END, START, build

    build(world)
    for k in (2, 3, 5, 7):
        assert_count_cells_safe(build_report(start=START, end=END, language="en", k=k))
