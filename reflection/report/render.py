"""Printing a built `NetworkReport` (structure.py): the HTML body shared by the page and the PDF, the
PDF itself (WeasyPrint: A4, cover, contents with page numbers, charts as inline SVG) and one CSV per
table.

Everything printed comes from `Cell.text`; charts draw bars only from `Cell.value` of printed cells.
A suppressed cell has no value (structure.py), so neither a table, a CSV nor the length of a bar can
show what the suppression hides: a suppressed row gets its label ("<5", "×") and no bar, and a chart's
scale is taken from the printed values only.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .structure import Cell, NetworkReport, Table

PRINT_CSS = Path(__file__).with_name("print.css")

# Chart geometry in SVG user units; the SVG scales to its box (viewBox), the text with it.
CHART_WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 60
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_CHARS = 34
# A chart taller than a page helps nobody: above this many rows the table stands alone.
MAX_CHART_ROWS = 30


@dataclass(frozen=True)
class TableBlock:
    """A table with what the templates need beside it: its anchor and its chart."""

    table: Table
    anchor: str
    chart: SafeString


def _anchor(prefix: str, key: str) -> str:
    return f"{prefix}-{key}".replace(" ", "-")


def _number(cell: Cell) -> float | None:
    """The length a bar may have: only a printed, numeric value. Suppressed cells have none."""
    if cell.suppressed or isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
        return None
    return float(cell.value)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _chart_rows(table: Table) -> list[tuple[str, Cell]]:
    """The first value column of every row but totals (a total dwarfs the bars it sums)."""
    return [(row.label, row.cells[0]) for row in table.rows if row.cells and not row.is_total]


def bar_chart(table: Table) -> SafeString:
    """Horizontal bars of the first value column. Returns "" when nothing can be drawn."""
    return _chart(table, funnel=False)


def funnel_chart(table: Table) -> SafeString:
    """The stages of the first value column as centred bars, widest first. A hidden stage keeps
    its place and its label, without a bar."""
    return _chart(table, funnel=True)


def _chart(table: Table, *, funnel: bool) -> SafeString:
    """One row per table row: its label, a bar (left-aligned, or centred for a funnel) unless the
    count is hidden, and the printed text (after the bar, or in a column for a funnel)."""
    rows = _chart_rows(table)
    printed = [value for _label, cell in rows if (value := _number(cell)) is not None]
    if not rows or not printed:
        return mark_safe("")
    top = max(printed) or 1.0
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    row_height = ROW_HEIGHT + 6 if funnel else ROW_HEIGHT
    bar_height = row_height - 6 if funnel else BAR_HEIGHT
    height = row_height * len(rows) + 8
    parts = []
    for index, (label, cell) in enumerate(rows):
        y = 4 + index * row_height
        text_y = y + row_height / 2 + 4
        value = _number(cell)
        width = 0.0 if value is None else max(span * value / top, 1.0 if value > 0 else 0.0)
        x = LABEL_WIDTH + span / 2 - width / 2 if funnel else LABEL_WIDTH
        value_x = CHART_WIDTH - VALUE_WIDTH + 6 if funnel else LABEL_WIDTH + width + 6
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart__label">{}</text>',
                LABEL_WIDTH - 8,
                text_y,
                _short(label),
            )
        )
        if width:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="chart__bar" fill="#1d5e3a"/>',
                    f"{x:.1f}",
                    y + (row_height - bar_height) / 2,
                    f"{width:.1f}",
                    bar_height,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart__value{}" fill="{}">{}</text>',
                f"{value_x:.1f}",
                text_y,
                " chart__value--hidden" if cell.suppressed else "",
                "#4a5560" if cell.suppressed else "#1b1f24",
                cell.text,
            )
        )
    return _svg(table, height, mark_safe("".join(parts)))


def _svg(table: Table, height: int, body: SafeString) -> SafeString:
    # Presentation attributes (fill, font-family) rather than style=: the page's CSP forbids inline
    # styles, and WeasyPrint reads the attributes too. The table beside it carries the same figures,
    # so the chart is a labelled picture of it.
    title = _("Chart: %(title)s") % {"title": table.title}
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{}" '
        'font-family="DejaVu Sans, sans-serif" font-size="11" fill="#1b1f24" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        CHART_WIDTH,
        height,
        CHART_WIDTH,
        height,
        _anchor("chart-title", table.key),
        _anchor("chart-title", table.key),
        title,
        body,
    )


def chart(table: Table) -> SafeString:
    if len(table.rows) > MAX_CHART_ROWS:
        return mark_safe("")
    if table.chart == "bar":
        return bar_chart(table)
    if table.chart == "funnel":
        return funnel_chart(table)
    return mark_safe("")


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _context(report: NetworkReport) -> dict:
    sections = [
        {
            "section": section,
            "anchor": _anchor("section", section.key),
            "blocks": [
                TableBlock(table, _anchor("table", table.key), chart(table)) for table in section.tables
            ],
        }
        for section in report.sections
    ]
    return {
        "report": report,
        "sections": sections,
        "period_start": formats.date_format(report.period_start, "DATE_FORMAT"),
        "period_end": formats.date_format(report.period_end, "DATE_FORMAT"),
        "generated_at": formats.date_format(_local(report.generated_at), "DATE_FORMAT"),
        "language_name": translation.get_language_info(report.language)["name_local"],
        "k": report.k,
        "below_k": f"<{report.k}",
    }


def render_html(report: NetworkReport) -> str:
    """The report's body (sections, tables, charts, methodology): shown inside the page and
    printed as the PDF's main part. In the report's language whatever the caller's."""
    with translation.override(report.language):
        return render_to_string("reflection/report/_body.html", _context(report))


def render_document(report: NetworkReport) -> str:
    """A complete HTML document: cover, contents, body. What the PDF prints, and what
    `network_report --format html` writes (with the print stylesheet inside, so it stands alone)."""
    with translation.override(report.language):
        context = _context(report)
        context["body"] = mark_safe(render_to_string("reflection/report/_body.html", context))
        context["print_css"] = mark_safe(PRINT_CSS.read_text(encoding="utf-8") + _page_css())
        return render_to_string("reflection/report/document.html", context)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_css() -> str:
    """The translated words of the page margins ("page 3 of 12"): CSS strings can't be gettext."""
    # Translators may reorder the two numbers: each placeholder becomes its CSS counter.
    words = re.split(r"(%\(pages?\)s)", _("page %(page)s of %(pages)s"))
    content = " ".join(
        {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}.get(word) or _css_string(word)
        for word in words
        if word
    )
    return (
        f"\n@page {{ @bottom-right {{ content: {content}; }} }}\n"
        "@page :first { @bottom-right { content: none; } @bottom-left { content: none; } }\n"
    )


def render_pdf(report: NetworkReport) -> bytes:
    from weasyprint import HTML

    document = render_document(report)
    return HTML(string=document, base_url=str(PRINT_CSS.parent)).write_pdf()


def _csv_dialect(language: str) -> str:
    """Excel opens a CSV with the list separator of its locale: ";" where the decimal separator is a
    comma (nl, fr), "," elsewhere. The printed texts keep their own decimal comma."""
    with translation.override(language):
        return ";" if formats.get_format("DECIMAL_SEPARATOR") == "," else ","


def csv_files(report: NetworkReport) -> list[tuple[str, bytes]]:
    """(file name, bytes) per table: UTF-8 with a BOM (so Excel reads the accents), a header row of
    the label column and the value columns, then the printed text of every cell."""
    delimiter = _csv_dialect(report.language)
    files = []
    for table in report.tables():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([table.row_header, *table.columns])
        for row in table.rows:
            writer.writerow([row.label, *(cell.text for cell in row.cells)])
        files.append((f"{table.key}.csv", buffer.getvalue().encode("utf-8-sig")))
    return files


def render_csv(report: NetworkReport, folder: Path | str) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in csv_files(report):
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def render_csv_zip(report: NetworkReport) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in csv_files(report):
            archive.writestr(name, content)
    return buffer.getvalue()
