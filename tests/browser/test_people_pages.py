"""The people pages on a phone: axe-core on the list, the invitation form (also with errors) and
the confirmation, no horizontal scroll, and an invitation sent with the keyboard only."""

import pytest
from django.core import mail

from village.models import User

from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_pages_pass_axe_on_a_phone(page, live_server, world):
    log_in(page, live_server, world.network_coordinator.email)
    page.click("#coordinator-people-link")
    page.wait_for_url(f"{live_server.url}/people/")
    assert world.partner.email in page.locator("main").inner_text()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    membership = world.partner.memberships.get()
    for path in [
        "/people/invite/",
        f"/people/invite/?organisation={world.school.pk}",
        f"/people/memberships/{membership.pk}/deactivate/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path

    # a refused invitation: the errors on the form pass axe too
    page.goto(f"{live_server.url}/people/invite/")
    page.fill("#id_email", "nieuw@world.test")
    page.fill("#id_name", "Nieuwe Collega")
    page.select_option("#id_organisation", str(world.school.pk))
    page.select_option("#id_role", "bridge_figure")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 1
    assert serious_violations(page) == []
    assert not User.objects.filter(email="nieuw@world.test").exists()


def test_administrator_invites_someone_with_the_keyboard(page, live_server, world):
    log_in(page, live_server, world.administrator.email)
    page.goto(f"{live_server.url}/people/invite/?organisation={world.school.pk}")
    page.focus("#id_email")
    page.keyboard.type("zorg-nieuw@world.test")
    page.keyboard.press("Tab")
    page.keyboard.type("Nieuwe Zorgcoordinator")
    page.select_option("#id_language", "fr")
    page.focus("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/people/")
    assert "zorg-nieuw@world.test" in page.locator("main").inner_text()
    person = User.objects.get(email="zorg-nieuw@world.test")
    assert list(person.memberships.values_list("organisation", "role")) == [
        (world.school.pk, "school_coordinator")
    ]
    assert [message.to for message in mail.outbox] == [["zorg-nieuw@world.test"]]
