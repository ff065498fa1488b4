"""The school care coordinator's pages in a real Chromium on a phone: axe-core and width, with
a request, an update and a `no_permission` notice on them."""

from __future__ import annotations

import pytest

from families.models import ConsentScope
from referrals.models import NoticeEvent, SchoolNotice
from referrals.requests import pick_up_school_request

from .. import factories as f
from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_pages_pass_axe_on_a_phone(page, live_server, world):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    asked = f.SchoolRequestFactory(
        school=world.school, created_by=world.school_coordinator, child=world.child, pupil_first_name="Noor"
    )
    pick_up_school_request(school_request=asked, by=world.bridge)
    SchoolNotice.objects.create(
        school=world.school,
        child=world.child,
        event=NoticeEvent.STARTED,
        bridge_figure=world.bridge,
        key="axe:started",
        sent_at=asked.created_at,
    )
    SchoolNotice.objects.create(
        school=world.school,
        school_request=f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator),
        event=NoticeEvent.NO_PERMISSION,
        bridge_figure=world.bridge,
        key="axe:no_permission",
        sent_at=asked.created_at,
    )

    log_in(page, live_server, world.school_coordinator.email)
    assert page.locator("#school-home a[href='/school/ask/']").is_visible()
    for path in ["/school/ask/", "/school/requests/", "/school/pupils/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert serious_violations(page) == [], path
    assert page.locator(".pupil-event--started").count() == 1
    assert page.locator(".pupil-event--no_permission").count() == 1

    # The form with its errors shown.
    page.goto(f"{live_server.url}/school/ask/")
    page.click("#school-request-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 4
    assert serious_violations(page) == []
