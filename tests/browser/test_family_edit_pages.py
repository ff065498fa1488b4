"""The family-edit pages on a phone: axe-core, no horizontal scroll, keyboard-reachable submit."""

import pytest

from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_family_edit_pages_pass_axe_on_a_phone(page, live_server, world):
    world.give("register")
    log_in(page, live_server, world.bridge.email)
    family = world.family.pk
    for path in [
        f"/families/{family}/edit/",
        f"/families/{family}/guardians/new/",
        f"/families/{family}/guardians/{world.guardian.pk}/edit/",
        f"/families/{family}/children/new/",
        f"/families/{family}/children/{world.child.pk}/edit/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.locator("main form button[type=submit]").count() >= 1, path
