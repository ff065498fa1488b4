"""Report exports made by Celery: progress saved while building, idempotent, failures recorded;
and the whole path through a real Redis and a real `celery worker` process (skipped without Redis,
failing under CI=true, like tests/referrals/test_notice_worker.py)."""

from __future__ import annotations

import datetime

import pytest

from partners.models import Role
from referrals.testing import CeleryWorker, celery_through, wait_until
from reflection.models import ReportExport
from reflection.report import exports

from .. import factories as f
from ..referrals.test_notice_worker import redis_url_for_this_process, require_redis
from .pdf_text import pdf_text
from .report_samples import sample_report


def queued(user, format: str = ReportExport.Format.PDF) -> ReportExport:
    return ReportExport.objects.create(
        requested_by=user,
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 8, 31),
        language="en",
        format=format,
    )


@pytest.fixture
def sample_build(monkeypatch):
    """build_report answers the hand-built sample after reporting three steps; each call records
    the export's progress as the status page would read it at that moment."""
    seen: list[tuple[str, int]] = []

    def fake_build_report(*, start, end, language="nl", k=None, progress=None):
        for done in range(1, 4):
            progress(done, 3)
            seen.append(ReportExport.objects.values_list("status", "progress").get())
        return sample_report(language)

    monkeypatch.setattr("reflection.report.exports.build_report", fake_build_report)
    return seen


@pytest.mark.django_db
def test_generate_saves_progress_then_the_file(world, sample_build):
    export = queued(world.network_coordinator)
    exports.generate(export.pk)
    assert sample_build == [("running", 28), ("running", 56), ("running", 85)]
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == ("done", 100, "")
    assert export.filename == "network-report-2025-09-01-2026-08-31.pdf"
    assert export.finished_at is not None
    assert "Families reached" in pdf_text(bytes(export.content))


@pytest.mark.django_db
def test_generate_csv_zip(world, sample_build):
    export = queued(world.network_coordinator, ReportExport.Format.CSV_ZIP)
    exports.generate(export.pk)
    export.refresh_from_db()
    assert export.status == "done"
    assert export.filename.endswith(".zip")
    assert bytes(export.content).startswith(b"PK")


@pytest.mark.django_db
def test_generate_twice_changes_nothing(world, sample_build, monkeypatch):
    export = queued(world.network_coordinator)
    exports.generate(export.pk)
    export.refresh_from_db()

    def must_not_run(*args, **kwargs):
        raise AssertionError("a done export was built again")

    monkeypatch.setattr(exports, "make_file", must_not_run)
    exports.generate(export.pk)
    again = ReportExport.objects.get(pk=export.pk)
    assert (again.status, bytes(again.content), again.finished_at) == (
        "done",
        bytes(export.content),
        export.finished_at,
    )
    exports.generate(export.pk + 1000)  # a deleted export: nothing to do, no error


@pytest.mark.django_db
def test_failure_ends_as_failed_with_its_message(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reflection.report.exports.build_report", broken)
    export = queued(world.network_coordinator)
    exports.generate(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error == "RuntimeError: the database went away"
    assert bytes(export.content) == b""
    assert export.finished_at is not None


@pytest.mark.django_db
def test_requester_who_is_no_longer_coordinator_gets_nothing(world, sample_build):
    export = queued(world.network_coordinator)
    world.network_coordinator.memberships.update(active=False)
    exports.generate(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert "no longer a network coordinator" in export.error
    assert sample_build == []


@pytest.mark.django_db
def test_only_a_coordinator_can_request_an_export(world):
    with pytest.raises(PermissionError):
        exports.request_export(
            by=world.bridge,
            start=datetime.date(2025, 9, 1),
            end=datetime.date(2026, 8, 31),
            language="en",
            format="pdf",
        )
    assert not ReportExport.objects.exists()


@pytest.fixture
def redis_url() -> str:
    import redis

    url = redis_url_for_this_process()
    require_redis(url)
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_pdf(world, redis_url, tmp_path):
    coordinator = f.UserFactory(email="netwerk-worker@world.test", language="en")
    f.MembershipFactory(user=coordinator, organisation=world.municipality, role=Role.NETWORK_COORDINATOR)
    with celery_through(redis_url):
        worker = CeleryWorker(redis_url, tmp_path / "mail")
        try:
            worker.start()
            export = exports.request_export(
                by=coordinator,
                start=datetime.date(2025, 9, 1),
                end=datetime.date(2026, 8, 31),
                language="en",
                format=ReportExport.Format.PDF,
            )
            wait_until(
                lambda: ReportExport.objects.get(pk=export.pk).is_finished, timeout=120, what="the export"
            )
        finally:
            worker.stop()
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == ("done", 100, "")
    content = bytes(export.content)
    assert content.startswith(b"%PDF")
    assert "Methodology" in pdf_text(content)
