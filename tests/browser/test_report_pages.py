"""The network report's pages in a real Chromium on a phone: the report page and the export's
status page pass axe-core, nothing is wider than the phone, and the status page follows the
export's progress by itself (htmx) until the download appears."""

import pytest

from reflection.models import ReportExport

from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_page_and_pdf_download_on_a_phone(page, live_server, world):
    log_in(page, live_server, world.network_coordinator.email)
    page.click("#coordinator-home a[href$='/reflection/report/']")
    page.wait_for_selector(".network-report")
    assert page.locator("#id_start").input_value() != ""
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Celery runs eagerly in the test server: the file is made before the redirect.
    page.click("button[name=format][value=pdf]")
    page.wait_for_selector("#export-status a[href$='/download/']")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download_info:
        page.click("#export-status a[href$='/download/']")
    assert download_info.value.suggested_filename.endswith(".pdf")


def test_export_page_follows_the_progress_until_the_file_is_ready(page, live_server, world):
    export = ReportExport.objects.create(
        requested_by=world.network_coordinator,
        start="2025-09-01",
        end="2026-08-31",
        language="nl",
        format=ReportExport.Format.CSV_ZIP,
        status=ReportExport.Status.RUNNING,
        progress=30,
    )
    log_in(page, live_server, world.network_coordinator.email)
    page.goto(f"{live_server.url}/reflection/report/exports/{export.pk}/")
    assert page.locator("#export-progress").get_attribute("value") == "30"
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    ReportExport.objects.filter(pk=export.pk).update(progress=70)
    page.wait_for_selector("#export-progress[value='70']", timeout=10_000)
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.DONE, progress=100, content=b"PK", filename="network-report.zip"
    )
    page.wait_for_selector("#export-status a[href$='/download/']", timeout=10_000)
    assert page.locator("#export-progress").count() == 0
    assert serious_violations(page) == []
