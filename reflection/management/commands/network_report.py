"""`python manage.py network_report --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|csv|html
--output PATH [--language nl|fr|en]` (DESIGN.md §12). For csv, PATH is a folder that receives one
file per table. The same report as the coordinator's page: aggregates only, small numbers hidden."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reflection.report import render
from reflection.report.forms import MAX_YEARS
from reflection.report.indicators import build_report


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Write the network report for a period as PDF, HTML, or one CSV file per table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day (included), YYYY-MM-DD")
        parser.add_argument("--format", required=True, choices=["pdf", "csv", "html"])
        parser.add_argument(
            "--output", required=True, help="file to write (pdf, html) or folder (csv, one file per table)"
        )
        parser.add_argument("--language", default="nl", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, start: str, end: str, format: str, output: str, language: str, **options) -> None:
        first, last = _date(start), _date(end)
        if first > last:
            raise CommandError("--from must not be after --to.")
        if last - first > datetime.timedelta(days=366 * MAX_YEARS):
            raise CommandError(f"The period can be at most {MAX_YEARS} years long.")
        path = Path(output)
        if format != "csv" and path.is_dir():
            raise CommandError(f"{path} is a folder; give a file name for {format}.")
        if format == "csv" and path.exists() and not path.is_dir():
            raise CommandError(f"{path} is a file; csv writes one file per table into a folder.")

        report = build_report(start=first, end=last, language=language)
        if format == "csv":
            written = render.render_csv(report, path)
            self.stdout.write(f"Wrote {len(written)} CSV files into {path}.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if format == "pdf":
            path.write_bytes(render.render_pdf(report))
        else:
            path.write_text(render.render_document(report), encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
