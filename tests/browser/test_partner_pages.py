"""The partner worker's pages in a real Chromium on a phone: the inbox and a referral with its
answer forms pass axe-core and fit the screen; accepting and a refused move work by keyboard-free
clicks, and a refusal keeps what was typed."""

from __future__ import annotations

import pytest

from families.models import ConsentScope
from referrals.lifecycle import send_referral
from referrals.models import Referral, Status

from .. import factories as f
from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_the_phone_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert serious_violations(page) == [], page.url


@pytest.fixture
def referrals(world):
    world.give("register")
    world.give(ConsentScope.REFER, world.partner_org)
    sent = [
        send_referral(
            f.ReferralFactory(
                family=world.family,
                child=child,
                created_by=world.bridge,
                receiving_organisation=world.partner_org,
                question="Help with reading, please",
            ),
            by=world.bridge,
        )
        for child in (world.child, None)
    ]
    return sent


def test_partner_inbox_and_referral_answer_forms_pass_axe(page, live_server, world, referrals):
    first, second = referrals
    f.OfferFactory(organisation=world.outsider_org, name="Leesclub Elders")
    log_in(page, live_server, world.partner.email)
    page.click("#partner-home a[href='/referrals/inbox/']")
    page.wait_for_url(f"{live_server.url}/referrals/inbox/")
    assert page.locator("#inbox-new li").count() == 2
    assert "Noor Leaksma" in page.locator("#inbox-new").inner_text()
    assert_fits_the_phone_and_passes_axe(page)

    page.click(f"#inbox-new a[href='/referrals/{first.pk}/']")
    assert page.locator("#action-accept").is_visible()
    assert page.locator("#action-decline").is_visible()
    assert_fits_the_phone_and_passes_axe(page)

    page.fill("#id_accept-note", "We call the family on Monday")
    page.click("#action-accept button[type=submit]")
    page.wait_for_selector("#action-put_on_waiting_list")
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    assert page.locator("#action-record_contact").is_visible()
    assert_fits_the_phone_and_passes_axe(page)

    # a refusal: the second referral is declined without choosing a reason; the typed text stays
    page.goto(f"{live_server.url}/referrals/{second.pk}/")
    page.fill("#id_decline-note", "Please try the reading club")
    page.select_option("#id_decline-suggested_offer", label="Leesclub Elders · CAW Elders")
    page.click("#action-decline button[type=submit]")
    page.wait_for_selector("#action-decline .field-error")
    assert page.locator("#id_decline-note").input_value() == "Please try the reading club"
    assert Referral.objects.get(pk=second.pk).status == Status.SENT
    assert_fits_the_phone_and_passes_axe(page)
