"""Celery tasks of the reflection app: IDs in, one call into reflection/report/exports.py."""

from __future__ import annotations

from celery import shared_task

from .report import exports


# No automatic retry: a report that fails once (a bug, a timeout) would likely fail again and hold a
# worker for minutes each time; it ends as `failed` with its message, and the coordinator can ask again.
@shared_task(name="reflection.generate_report_export", ignore_result=True)
def generate_report_export(export_id: int) -> None:
    exports.generate(export_id)
