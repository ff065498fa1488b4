"""Network reports made in the background (DESIGN.md §11: long work shows progress): a coordinator asks
for a PDF or a zip of CSV tables, a Celery task builds and renders it while saving its progress, and
the file waits in the database until it is downloaded. Only the last `ReportExport.KEEP_PER_USER`
exports of a person are kept: asking for a new one deletes the oldest."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone, translation

from ..models import ReportExport, is_network_coordinator
from . import render
from .indicators import build_report

logger = logging.getLogger(__name__)

# Building the report is most of the work; rendering the rest.
BUILD_SHARE = 85


def request_export(
    *, by, start: datetime.date, end: datetime.date, language: str, format: str
) -> ReportExport:
    """Record the request and queue its task once the row is committed (a worker that started before
    the commit would not find it)."""
    if not is_network_coordinator(by):
        raise PermissionError("Only a network coordinator can export the network report.")
    from ..tasks import generate_report_export

    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=by, start=start, end=end, language=language, format=format
        )
        keep = (
            ReportExport.objects.filter(requested_by=by)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[: ReportExport.KEEP_PER_USER]
        )
        ReportExport.objects.filter(requested_by=by).exclude(pk__in=list(keep)).delete()
        transaction.on_commit(lambda: generate_report_export.delay(export.pk))
    return export


def file_name(export: ReportExport) -> str:
    extension = "pdf" if export.format == ReportExport.Format.PDF else "zip"
    return f"network-report-{export.start:%Y-%m-%d}-{export.end:%Y-%m-%d}.{extension}"


def _save_progress(export_id: int, percent: int) -> None:
    # An UPDATE outside any transaction: the status page sees it at once.
    ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.RUNNING).update(
        progress=max(0, min(100, percent))
    )


def generate(export_id: int) -> None:
    """Build, render and store one export. Idempotent: a finished export (done or failed) is left
    as it is, so a redelivered task changes nothing. Any error ends in `failed` with its message."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.is_finished:
            return
        export.status = ReportExport.Status.RUNNING
        export.progress = 0
        export.save(update_fields=["status", "progress"])
    try:
        # Checked again when the work starts: someone who stopped being coordinator gets nothing.
        if not is_network_coordinator(export.requested_by):
            raise PermissionError("The requester is no longer a network coordinator.")
        content = make_file(export, progress=lambda done: _save_progress(export_id, done))
    except Exception as exc:  # noqa: BLE001 - every failure is shown on the export's page
        logger.exception("Report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            status=ReportExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.DONE,
        progress=100,
        content=content,
        filename=file_name(export),
        error="",
        finished_at=timezone.now(),
    )


def make_file(export: ReportExport, *, progress=None) -> bytes:
    """The export's bytes; `progress(percent)` is called as the work goes on."""

    def building(done: int, total: int) -> None:
        # build_report calls this after each of its `total` steps.
        if progress is not None and total:
            progress(done * BUILD_SHARE // total)

    with translation.override(export.language):
        report = build_report(start=export.start, end=export.end, language=export.language, progress=building)
        if progress is not None:
            progress(BUILD_SHARE)
        if export.format == ReportExport.Format.PDF:
            return render.render_pdf(report)
        return render.render_csv_zip(report)
