"""Printing a hand-built network report (structure.py) as HTML, CSV and PDF: every table and cell
as printed, hidden numbers never shown or drawn, the PDF's cover, contents with the right page
numbers, methodology; and the demo network's real report names no person."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from families.models import Child, Guardian
from reflection.report.indicators import build_report, default_period
from reflection.report.render import (
    bar_chart,
    csv_files,
    funnel_chart,
    render_csv,
    render_csv_zip,
    render_document,
    render_html,
    render_pdf,
)
from reflection.report.structure import Cell, Row
from village.models import User

from .pdf_text import pdf_pages, pdf_text
from .report_samples import sample_report

# A value that only exists inside a (wrongly filled) suppressed cell: if it shows up, something
# printed or drew a hidden number.
LEAK = 4321


def report_with_a_leaky_cell(language: str = "en"):
    """The sample, with one suppressed cell that breaks the contract and carries its raw value:
    rendering must still go by `text` and `suppressed` only."""
    report = sample_report(language)
    table = report.sections[1].tables[0]
    leaky = Cell(text="<5", value=LEAK, suppressed="small")
    table.rows[2] = Row(
        table.rows[2].key, table.rows[2].label, [leaky, Cell("×", LEAK, suppressed="secondary")]
    )
    return report


def bars(svg: str) -> int:
    return svg.count("<rect")


def test_html_tables_have_caption_column_and_row_headers():
    html = render_html(sample_report())
    for table in sample_report().tables():
        assert f'id="table-{table.key}-caption">{table.title}</caption>' in html
    assert '<th scope="col">Age band</th>' in html
    assert '<th scope="col" class="num">Continuing</th>' in html
    assert '<th scope="row">6 to 11 years</th>' in html
    assert html.count('<th scope="row">') == sum(len(t.rows) for t in sample_report().tables())
    assert 'class="report-table__total"' in html
    assert "Methodology" in html


def test_html_prints_each_cell_text_and_escapes_it():
    report = sample_report()
    report.sections[0].tables[0].rows[0] = Row("x", "<script>alert(1)</script>", [Cell("12", 12)] * 3)
    html = render_html(report)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td class="num num--hidden">&lt;5</td>' in html
    assert '<td class="num num--hidden">×</td>' in html
    assert '<td class="num num--hidden">–</td>' in html
    assert '<td class="num">41,0 %</td>' in html


def test_hidden_value_never_printed_nor_drawn_even_if_a_cell_carries_it():
    report = report_with_a_leaky_cell()
    outputs = [render_html(report), render_document(report)]
    outputs += [content.decode("utf-8-sig") for _name, content in csv_files(report)]
    for output in outputs:
        assert str(LEAK) not in output
    # The chart of that table: bars for the printed non-zero rows only (Housing, Money), none for
    # the hidden Language row nor the zero of Leisure; its label is there.
    svg = bar_chart(report.sections[1].tables[0])
    assert bars(svg) == 2
    assert ">&lt;5</text>" in svg


def test_chart_scale_comes_from_printed_values_only():
    """The longest bar is the largest printed value; a hidden cell can't stretch or shrink it."""
    table = report_with_a_leaky_cell().sections[1].tables[0]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', str(bar_chart(table)))]
    plain = [
        float(w)
        for w in re.findall(
            r'<rect [^>]*width="([\d.]+)"', str(bar_chart(sample_report().sections[1].tables[0]))
        )
    ]
    assert widths == plain
    assert max(widths) == pytest.approx(640 - 230 - 60)


def test_funnel_keeps_a_hidden_stage_without_a_bar():
    funnel = sample_report().sections[1].tables[1]
    svg = str(funnel_chart(funnel))
    assert bars(svg) == 3
    for label in ["Sent", "Accepted", "Contact made", "Closed"]:
        assert f">{label}</text>" in svg
    assert ">&lt;5</text>" in svg


def test_no_chart_when_nothing_is_printed():
    table = sample_report().sections[1].tables[1]
    hidden = dataclasses.replace(
        table, rows=[Row(r.key, r.label, [Cell("<5", None, suppressed="small")]) for r in table.rows]
    )
    assert str(funnel_chart(hidden)) == ""
    assert 'class="report-chart"' not in render_html(
        dataclasses.replace(
            sample_report(), sections=[dataclasses.replace(sample_report().sections[1], tables=[hidden])]
        )
    )


def test_html_is_in_the_report_language_whatever_is_active():
    with translation.override("fr"):
        html = render_html(sample_report("en"))
        assert translation.get_language() == "fr"
    assert 'lang="en"' in html
    assert "Methodology" in html


def read_csv(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_one_file_per_table_with_the_printed_texts(tmp_path):
    report = sample_report("en")
    paths = render_csv(report, tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{t.key}.csv" for t in report.tables())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    rows = read_csv((tmp_path / "out" / "reach_families.csv").read_bytes(), ",")
    assert rows[0] == ["Age band", "New", "Continuing", "Total"]
    assert rows[2] == ["6 to 11 years", "<5", "×", "48"]
    assert rows[-1] == ["Total", "80", "116", "196"]
    speed = read_csv((tmp_path / "out" / "referral_speed.csv").read_bytes(), ",")
    assert speed[1] == ["Welfare", "40", "3,5", "9"]
    assert speed[2] == ["Pupil guidance centre", "<5", "–", "–"]


def test_csv_uses_semicolons_where_the_decimal_separator_is_a_comma():
    files = dict(csv_files(sample_report("nl")))
    rows = read_csv(files["referrals_by_domain.csv"], ";")
    assert rows[2] == ["Money, administration and rights", "58", "37,2 %"]


def test_csv_zip_holds_the_same_files():
    report = sample_report()
    with zipfile.ZipFile(io.BytesIO(render_csv_zip(report))) as archive:
        assert sorted(archive.namelist()) == sorted(f"{t.key}.csv" for t in report.tables())
        assert archive.read("reach_families.csv") == dict(csv_files(report))["reach_families.csv"]


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf(sample_report("en", rows=70))


def test_pdf_has_cover_contents_methodology_and_page_numbers(sample_pdf):
    assert sample_pdf.startswith(b"%PDF")
    pages = pdf_pages(sample_pdf)
    assert "Network report" in pages[0] and "Zonnedorp" in pages[0]
    assert "Sept. 1, 2025 – Aug. 31, 2026" in pages[0]
    assert "English" in pages[0]
    assert "Contents" in pages[1]
    text = pdf_text(sample_pdf)
    assert "Methodology" in text
    assert "Small numbers are suppressed" in text
    assert f"page 2 of {len(pages)}" in pages[1]
    assert "page 1 of" not in pages[0]


def test_pdf_contents_point_at_the_right_pages(sample_pdf):
    pages = pdf_pages(sample_pdf)
    contents = pages[1]
    for heading in ["Reach", "Referrals by need domain", "From sending to closing", "Methodology"]:
        match = re.search(rf"^\s*{re.escape(heading)}[ .]*?(\d+)\s*$", contents, re.M)
        assert match, f"{heading} is not in the contents"
        number = int(match.group(1))
        assert heading in pages[number - 1], f"{heading} is not on page {number}"


def test_pdf_long_table_breaks_across_pages_repeating_its_header(sample_pdf):
    pages = pdf_pages(sample_pdf)
    with_rows = [i for i, page in enumerate(pages) if "Extra group" in page]
    assert len(with_rows) >= 2
    for index in with_rows:
        assert "Age band" in pages[index] and "Continuing" in pages[index]


def test_pdf_never_shows_a_hidden_value():
    text = pdf_text(render_pdf(report_with_a_leaky_cell()))
    assert str(LEAK) not in text
    assert "<5" in text and "×" in text


def names_of_people() -> set[str]:
    names: set[str] = set()
    for model in (Guardian, Child):
        for first, last in model.objects.values_list("first_name", "last_name"):
            names |= {first, last, f"{first} {last}"}
    for full_name in User.objects.values_list("full_name", flat=True):
        # "Lien De Smet": first name "Lien", last name "De Smet" (the particle alone is a word).
        first, _space, last = full_name.partition(" ")
        names |= {full_name, first, last}
    # The demo administrator is "Beheer Village" (administration + the product's name): "Village"
    # is printed on every page as the application's name, not as a person's.
    names.discard("Village")
    return {name.strip() for name in names if len(name.strip()) > 1}


@pytest.mark.django_db
def test_demo_network_report_names_nobody():
    """DESIGN.md §8: no names of people appear anywhere in a report (issue #3)."""
    call_command("seed_demo", families=30, stdout=io.StringIO())
    names = names_of_people()
    assert len(names) > 50
    start, end = default_period(timezone.localdate())
    report = build_report(start=start, end=end, language="nl")
    text = pdf_text(render_pdf(report))
    assert "Methodolog" in text
    words = set(re.findall(r"\w+(?:[-'’]\w+)*", text))
    found = sorted(
        name
        for name in names
        if (name in words if " " not in name else re.search(rf"\b{re.escape(name)}\b", text))
    )
    assert found == []
