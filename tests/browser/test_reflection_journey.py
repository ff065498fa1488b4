"""A reflection round in a real Chromium on a phone: the coordinator opens it, two participants of
different organisations answer, the coordinator closes it and reads the spread and the agenda."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from reflection.models import Framework

from ..conftest import log_in
from ..reflection.factories import ensure_frameworks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def answer_round(browser, browser_context_args, live_server, email: str, levels: dict[str, str]) -> None:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    try:
        log_in(page, live_server, email)
        page.click("nav a[href$='/reflection/']")
        page.click("main a[href$='/answer/']")
        page.wait_for_selector("#answer-a1")
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        for code, level in levels.items():
            page.check(f"#answer-{code} input[value={level}]")
            page.fill(f"#answer-{code} textarea[name^=evidence]", f"Evidence for {code}")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#my-answers")
        assert page.locator("#my-answers li").count() == len(levels)
    finally:
        context.close()


def test_round_from_opening_to_spread_on_a_phone(page, browser, browser_context_args, live_server, world):
    ensure_frameworks()
    log_in(page, live_server, world.network_coordinator.email)
    page.click("nav a[href$='/reflection/']")
    page.click("main a[href$='/reflection/rounds/new/']")
    page.select_option("#id_framework", str(Framework.objects.get(code="vrac").pk))
    page.fill("#id_title", "Voorjaar")
    page.check(f"label:has-text('{world.partner_org.name}') input")
    page.check(f"label:has-text('{world.outsider_org.name}') input")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#close-round")
    round_url = page.url

    answer_round(
        browser,
        browser_context_args,
        live_server,
        world.partner.email,
        {"a1": "embedded", "a2": "growing", "b1": "growing"},
    )
    answer_round(
        browser,
        browser_context_args,
        live_server,
        world.outsider.email,
        {"a1": "not_yet", "a2": "growing", "b1": "first_steps"},
    )

    page.goto(round_url)
    assert "2" in page.locator("#answered-count").inner_text()
    page.click("#close-round")
    page.wait_for_selector("#agenda")
    agenda = page.locator("#agenda li")
    assert agenda.count() == 2
    assert "Gedeelde visie × Initiatief nemen" in agenda.nth(0).inner_text()  # 3 steps apart
    spread = page.locator("#spread-a1")
    assert spread.locator("svg.spread-chart rect.spread-chart__bar").count() == 2
    assert "welzijnsdienst" in spread.inner_text().lower()
    assert world.partner.get_full_name() not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
