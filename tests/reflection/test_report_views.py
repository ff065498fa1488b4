"""The network report's pages: only the network coordinator reaches them (everybody else: 404);
the period form; the downloads go through a ReportExport that only its requester sees."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Role
from reflection.models import ReportExport
from reflection.report.indicators import default_period

from .. import factories as f

pytestmark = pytest.mark.django_db

NOT_COORDINATORS = [
    "bridge",
    "colleague",
    "other_bridge",
    "partner",
    "outsider",
    "school_coordinator",
    "other_school_coordinator",
    "administrator",
]
FAMILY_NAMES = ["Amina", "Noor", "Sami", "Leaksma"]


@pytest.fixture
def coordinator(world):
    user = world.network_coordinator
    user.language = "en"
    user.save()
    return user


@pytest.fixture
def other_coordinator(world):
    user = f.UserFactory(email="netwerk-2@world.test", language="en")
    f.MembershipFactory(user=user, organisation=world.municipality, role=Role.NETWORK_COORDINATOR)
    return user


def an_export(user, **kwargs) -> ReportExport:
    defaults = {
        "start": datetime.date(2025, 9, 1),
        "end": datetime.date(2026, 8, 31),
        "language": "en",
        "format": ReportExport.Format.PDF,
        "status": ReportExport.Status.DONE,
        "progress": 100,
        "content": b"%PDF-SECRET-CONTENT",
        "filename": "network-report.pdf",
    }
    return ReportExport.objects.create(requested_by=user, **{**defaults, **kwargs})


def test_coordinator_sees_the_report_of_the_current_school_year(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("reflection:report"))
    assert response.status_code == 200
    start, end = default_period(timezone.localdate())
    form = response.context["form"]
    assert form.is_valid()
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (start, end)
    assert form.cleaned_data["language"] == "en"
    html = response.content.decode()
    assert 'class="network-report" lang="en"' in html
    assert "Download PDF" in html
    assert 'value="csv_zip"' in html
    for name in FAMILY_NAMES:
        assert name not in html


def test_report_in_the_chosen_language_and_period(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("reflection:report"), {"start": "2024-01-01", "end": "2024-06-30", "language": "fr"}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.period_start, report.period_end, report.language) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 6, 30),
        "fr",
    )
    assert 'class="network-report" lang="fr"' in response.content.decode()
    assert response.context["export_query"] == {"start": "2024-01-01", "end": "2024-06-30", "language": "fr"}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-06-01", "2025-01-01", "The end of the period cannot be before its start."),
        ("2015-01-01", "2025-01-01", "The period can be at most 5 years long."),
        ("not-a-date", "2025-01-01", "Enter a valid date."),
    ],
)
def test_period_form_refuses_a_wrong_period(client, world, coordinator, start, end, message):
    client.force_login(coordinator)
    response = client.get(reverse("reflection:report"), {"start": start, "end": end, "language": "en"})
    assert response.status_code == 200
    assert "report" not in response.context
    assert message in response.content.decode()


def test_home_links_the_coordinator_to_the_report(client, world, coordinator):
    client.force_login(coordinator)
    assert reverse("reflection:report") in client.get(reverse("home")).content.decode()
    client.force_login(world.bridge)
    assert reverse("reflection:report") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("name", NOT_COORDINATORS)
def test_report_pages_are_not_found_for_everybody_else(client, world, coordinator, name):
    export = an_export(coordinator)
    user = world.everyone[name]
    client.force_login(user)
    assert client.get(reverse("reflection:report")).status_code == 404
    before = ReportExport.objects.count()
    response = client.post(
        reverse("reflection:report_export_create"),
        {"start": "2025-09-01", "end": "2026-08-31", "language": "en", "format": "pdf"},
    )
    assert response.status_code == 404
    assert ReportExport.objects.count() == before
    for url in [
        "reflection:report_export",
        "reflection:report_export_status",
        "reflection:report_export_download",
    ]:
        response = client.get(reverse(url, args=[export.pk]))
        assert response.status_code == 404, url
        assert b"SECRET" not in response.content
    assert list(ReportExport.objects.visible_to(user)) == []


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("reflection:report"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_coordinator_sees_only_own_exports(client, world, coordinator, other_coordinator):
    mine = an_export(coordinator)
    theirs = an_export(other_coordinator, content=b"%PDF-THEIRS")
    assert set(ReportExport.objects.visible_to(coordinator)) == {mine}
    assert set(ReportExport.objects.visible_to(other_coordinator)) == {theirs}
    client.force_login(coordinator)
    for url in [
        "reflection:report_export",
        "reflection:report_export_status",
        "reflection:report_export_download",
    ]:
        assert client.get(reverse(url, args=[theirs.pk])).status_code == 404
        assert client.get(reverse(url, args=[mine.pk])).status_code == 200
    page = client.get(reverse("reflection:report")).content.decode()
    assert reverse("reflection:report_export", args=[mine.pk]) in page
    assert reverse("reflection:report_export", args=[theirs.pk]) not in page


def test_export_is_not_seen_once_its_requester_stops_being_coordinator(client, world, coordinator):
    export = an_export(coordinator)
    coordinator.memberships.update(active=False)
    assert list(ReportExport.objects.visible_to(coordinator)) == []
    client.force_login(coordinator)
    assert client.get(reverse("reflection:report_export_download", args=[export.pk])).status_code == 404


@pytest.mark.parametrize(
    ("format", "content_type", "magic"),
    [("pdf", "application/pdf", b"%PDF"), ("csv_zip", "application/zip", b"PK")],
)
def test_download_buttons_make_the_file_and_show_it(
    client, world, coordinator, django_capture_on_commit_callbacks, format, content_type, magic
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reflection:report_export_create"),
            {"start": "2025-09-01", "end": "2026-08-31", "language": "en", "format": format},
        )
    assert len(callbacks) == 1
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection:report_export", args=[export.pk])
    assert (export.requested_by, export.format, export.language) == (coordinator, format, "en")
    assert (export.status, export.progress) == (ReportExport.Status.DONE, 100)

    page = client.get(response["Location"]).content.decode()
    download = reverse("reflection:report_export_download", args=[export.pk])
    assert download in page
    assert "hx-trigger" not in page
    file = client.get(download)
    assert file["Content-Type"] == content_type
    assert file["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    assert file.content.startswith(magic)


def test_unfinished_export_page_polls_its_status(client, world, coordinator):
    export = an_export(coordinator, status=ReportExport.Status.RUNNING, progress=40, content=b"")
    client.force_login(coordinator)
    page = client.get(reverse("reflection:report_export", args=[export.pk])).content.decode()
    status_url = reverse("reflection:report_export_status", args=[export.pk])
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert '<progress id="export-progress" max="100" value="40">' in page
    assert reverse("reflection:report_export", args=[export.pk]) in page  # the refresh link
    assert client.get(reverse("reflection:report_export_download", args=[export.pk])).status_code == 404
    partial = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="export-status"')
    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.FAILED)
    partial = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial
    assert "could not be made" in partial


def test_invalid_export_request_goes_back_with_the_error(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("reflection:report_export_create"),
        {"start": "2026-09-01", "end": "2026-08-31", "language": "en", "format": "pdf"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reflection:report")
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert not ReportExport.objects.exists()


def test_only_the_last_exports_of_a_person_are_kept(
    client, world, coordinator, other_coordinator, django_capture_on_commit_callbacks
):
    theirs = an_export(other_coordinator)
    old = [
        an_export(coordinator, created_at=timezone.now() - datetime.timedelta(hours=10 - i)) for i in range(5)
    ]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("reflection:report_export_create"),
            {"start": "2025-09-01", "end": "2026-08-31", "language": "en", "format": "csv_zip"},
        )
    kept = set(ReportExport.objects.filter(requested_by=coordinator))
    assert len(kept) == ReportExport.KEEP_PER_USER
    assert old[0] not in kept and set(old[1:]) <= kept
    assert ReportExport.objects.filter(pk=theirs.pk).exists()


def test_only_the_language_given_keeps_the_default_period(client, world, coordinator):
    client.force_login(coordinator)
    report = client.get(reverse("reflection:report"), {"language": "fr"}).context["report"]
    assert (report.period_start, report.period_end) == default_period(timezone.localdate())
    assert report.language == "fr"
