"""The catalogue pages in a real Chromium on a phone: axe-core, no horizontal scroll, and the
one-click "still correct" of a partner worker."""

import datetime

import pytest
from django.utils import timezone

from partners.models import Offer

from .. import factories as f
from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(world):
    stale_day = timezone.localdate() - datetime.timedelta(days=500)
    mine = f.OfferFactory(
        organisation=world.partner_org,
        name="Huiswerkklas",
        verified_at=stale_day,
        age_min=6,
        age_max=12,
        languages="nl, fr",
        contact_name="Ilse Peeters",
        contact_phone="09 123 45 67",
        locations_times="Schoolstraat 30, ma–do 15.30–17 u.",
    )
    mine.need_domains.set([f.need_domain("learning_homework"), f.need_domain("language")])
    theirs = f.OfferFactory(organisation=world.outsider_org, name="Budgethulp", verified_at=None)
    theirs.need_domains.set([f.need_domain("money_rights")])
    return {"mine": mine, "theirs": theirs}


def test_partner_edits_and_verifies_an_offer_on_a_phone(page, live_server, world, catalogue):
    mine = catalogue["mine"]
    log_in(page, live_server, world.partner.email)
    page.click("#partner-offers-link")
    page.wait_for_url(f"{live_server.url}/catalogue/our-offers/")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/catalogue/offers/{mine.pk}/")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # One click: still correct
    page.click("#verify-heading ~ .row-actions form[action$='/verify/'] button")
    page.wait_for_load_state()
    mine.refresh_from_db()
    assert mine.verified_at == timezone.localdate()

    # A form error is shown next to the field, and still passes axe
    page.fill("#id_age_min", "14")
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field--invalid #id_age_max").count() == 1
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/catalogue/our-offers/new/")
    assert serious_violations(page) == []


def test_coordinator_catalogue_pages_pass_axe_on_a_phone(page, live_server, world, catalogue):
    log_in(page, live_server, world.network_coordinator.email)
    page.click("#coordinator-catalogue-link")
    page.wait_for_url(f"{live_server.url}/catalogue/")
    assert page.locator("#catalogue-table tbody tr").count() == Offer.objects.filter(active=True).count()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.select_option("#id_stale", "yes")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#catalogue-table tbody tr").count() == 2

    for path in ["/catalogue/stale/", "/catalogue/import/"]:
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
