"""`manage.py network_report` (DESIGN.md §12) writes the report as PDF, HTML or one CSV per table."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from reflection.report import render

from .pdf_text import pdf_text
from .report_samples import sample_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """The command's own work (arguments, files) apart from computing: build_report answers the
    hand-built sample, and records what it was asked."""
    calls = []

    def fake_build_report(*, start, end, language="nl", k=None, progress=None):
        calls.append((start, end, language))
        report = sample_report(language)
        return report.__class__(**{**report.__dict__, "period_start": start, "period_end": end})

    monkeypatch.setattr("reflection.management.commands.network_report.build_report", fake_build_report)
    return calls


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("network_report", *args, stdout=out)
    return out.getvalue()


def test_command_writes_pdf(tmp_path, built):
    path = tmp_path / "report.pdf"
    run(
        "--from",
        "2025-09-01",
        "--to",
        "2026-08-31",
        "--format",
        "pdf",
        "--output",
        str(path),
        "--language",
        "en",
    )
    assert built == [(datetime.date(2025, 9, 1), datetime.date(2026, 8, 31), "en")]
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Contents" in text and "Methodology" in text and "Families reached" in text


def test_command_writes_a_standalone_html_document(tmp_path, built):
    path = tmp_path / "out" / "report.html"
    run(
        "--from",
        "2025-09-01",
        "--to",
        "2026-08-31",
        "--format",
        "html",
        "--output",
        str(path),
        "--language",
        "en",
    )
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<style>" in html and "@page" in html
    assert render.render_html(sample_report("en")).split('<p class="report-legend">')[1][:200] in html


def test_command_writes_one_csv_per_table(tmp_path, built):
    folder = tmp_path / "tables"
    output = run("--from", "2025-09-01", "--to", "2026-08-31", "--format", "csv", "--output", str(folder))
    assert built[0][2] == "nl"  # the default language
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{t.key}.csv" for t in sample_report().tables())
    assert f"{len(names)} CSV files" in output
    assert (folder / "reach_families.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-09-01", "--to", "2026-08-31", "--format", "pdf"], "--from must not be after --to"),
        (["--from", "2010-09-01", "--to", "2026-08-31", "--format", "pdf"], "at most 5 years"),
        (["--from", "1-9-2025", "--to", "2026-08-31", "--format", "pdf"], "Not a date"),
    ],
)
def test_command_refuses_a_wrong_period(tmp_path, built, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(tmp_path / "x.pdf"))
    assert built == []


def test_command_refuses_a_folder_for_pdf_and_a_file_for_csv(tmp_path, built):
    with pytest.raises(CommandError, match="is a folder"):
        run("--from", "2025-09-01", "--to", "2026-08-31", "--format", "pdf", "--output", str(tmp_path))
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        run("--from", "2025-09-01", "--to", "2026-08-31", "--format", "csv", "--output", str(file))


def test_command_runs_the_real_report(tmp_path, world):
    """Without the stand-in: the real build_report on the test world, to a PDF."""
    path = tmp_path / "real.pdf"
    run(
        "--from",
        "2025-09-01",
        "--to",
        "2026-08-31",
        "--format",
        "pdf",
        "--output",
        str(path),
        "--language",
        "en",
    )
    text = pdf_text(path.read_bytes())
    assert "Methodology" in text
    for name in ["Amina", "Noor", "Sami", "Leaksma"]:
        assert name not in text
