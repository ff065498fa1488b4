"""The base interface in a real Chromium: login, home, language switch, and axe-core on each."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_login_home_and_language_switch_on_a_phone(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang").startswith("nl")
    assert serious_violations(page) == []

    log_in(page, live_server, world.bridge.email)
    assert page.locator("#bridge-home").is_visible()
    assert serious_violations(page) == []
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.select_option("#language-select", "fr")
    page.click(".language-switcher button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().startswith("Bonjour")
    page.select_option("#language-select", "en")
    page.click(".language-switcher button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Hello")


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, live_server, world):
    log_in(page, live_server, world.partner.email)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_school_home_and_notices_page_pass_axe_on_a_phone(page, live_server, world):
    from referrals.lifecycle import accept_referral, send_referral

    from .. import factories as f

    world.give("register")
    world.give("refer", world.partner_org, child=world.child)
    world.give("inform_school", world.school, child=world.child)
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
    )
    send_referral(referral, by=world.bridge)
    accept_referral(referral, by=world.partner)

    log_in(page, live_server, world.school_coordinator.email)
    assert page.locator("#school-home").is_visible()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/notices/")
    assert world.child.first_name in page.locator("main").inner_text()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
