"""The school's question travels the whole chain in a real Chromium on a phone (DESIGN.md §7):
the care coordinator asks the bridge figure; the bridge figure picks the request up, refers the
pupil and links the request; the partner accepts and records the first contact; the care
coordinator reads, for that pupil, only "picked up" and then "support has started".

Notices are delivered the way the application delivers them without a broker: Celery is eager
(REDIS_URL empty), so the task queued with `transaction.on_commit` runs in the live server right
after each change commits (the database is transactional here)."""

from __future__ import annotations

import re

import pytest

from families.models import ConsentScope
from partners.models import NeedDomain
from referrals.models import NoticeEvent, Referral, SchoolNotice, SchoolRequest, Status

from .. import factories as f
from ..conftest import log_in
from .test_foundation_pages import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, live_server, user) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user.email)


def answer(page, live_server, referral, action: str) -> None:
    """The partner's answer, posted from the referral's page (forms `#action-<action>`)."""
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    with page.expect_navigation():
        page.click(f"#action-{action} button[type=submit]")
    errors = page.locator(".form-errors, .field-error").all_inner_texts()
    # Back on the referral's page (perhaps at an anchor), not the page re-rendered with errors.
    assert page.url.split("#")[0] == f"{live_server.url}/referrals/{referral.pk}/", (page.url, errors)


def pupil_events(page, live_server) -> list[str]:
    page.goto(f"{live_server.url}/school/pupils/")
    card = page.locator(".pupil", has=page.locator("h2", has_text="Noor Leaksma"))
    return [text.strip() for text in card.locator(".pupil-event__text").all_inner_texts()]


def test_school_asks_bridge_refers_partner_answers_school_reads_the_status(page, live_server, world):
    for person in (world.school_coordinator, world.bridge, world.partner):
        person.language = "en"
        person.save(update_fields=["language"])
    world.bridge.phone = "+32 470 99 88 77"
    world.bridge.save(update_fields=["phone"])
    # The family's consents, recorded earlier by the bridge figure: keep a file, refer to the
    # partner, inform the school.
    world.give(ConsentScope.REGISTER)
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    offer = f.OfferFactory(organisation=world.partner_org, name="Huiswerkklas maandag", contact_name="Els")
    homework = NeedDomain.objects.get(code="learning_homework")
    offer.need_domains.set([homework])

    # 1. The care coordinator asks the bridge figure.
    log_in(page, live_server, world.school_coordinator.email)
    page.click("#school-home a[href='/school/ask/']")
    assert page.locator("#school-request-guidance").is_visible()
    page.fill("#id_pupil_first_name", "Noor")
    page.fill("#id_pupil_last_name", "Leaksma")
    page.fill("#id_grade", "3B")
    page.fill("#id_reason", "Often tired in class; please get in touch with the parents.")
    page.check("input[name=parents_know][value=yes]")
    page.click("#school-request-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/school/requests/")
    school_request = SchoolRequest.objects.get()
    assert page.locator(f"#school-request-{school_request.pk} .status--open").is_visible()

    # 2. The bridge figure picks it up, refers Noor and links the request to the referral.
    switch_to(page, live_server, world.bridge)
    page.goto(f"{live_server.url}/referrals/school-requests/")
    page.click(f"form[action='/referrals/school-requests/{school_request.pk}/pick-up/'] button")
    page.wait_for_url(f"{live_server.url}/referrals/school-requests/")
    page.goto(f"{live_server.url}/referrals/new/{world.family.pk}/")
    page.select_option("#id_child", str(world.child.pk))
    page.check(f"input[name=need_domains][value='{homework.pk}']")
    page.fill("#id_question", "Noor would like help with her homework")
    page.check(f"#offer-{offer.pk}")
    page.check("input[name=warmth][value='3']")
    page.select_option("#id_source", "school")
    page.click("button[name=review]")
    page.wait_for_url(re.compile(r"/referrals/\d+/review/$"))
    assert page.locator(".consent-ok").is_visible()
    page.click("#send-referral")
    page.wait_for_url(re.compile(r"/referrals/\d+/$"))
    referral = Referral.objects.get()
    assert referral.status == Status.SENT
    page.goto(f"{live_server.url}/referrals/school-requests/{school_request.pk}/link/")
    page.select_option("#id_referral", str(referral.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/referrals/school-requests/")
    school_request.refresh_from_db()
    assert (school_request.status, school_request.family, school_request.child) == (
        SchoolRequest.Status.PICKED_UP,
        world.family,
        world.child,
    )

    # The school sees its request picked up, and whom to call; no update about the pupil yet.
    switch_to(page, live_server, world.school_coordinator)
    page.goto(f"{live_server.url}/school/requests/")
    row = page.locator(f"#school-request-{school_request.pk}")
    assert row.locator(".status--picked_up").is_visible()
    assert "+32 470 99 88 77" in row.inner_text()
    assert pupil_events(page, live_server) == []

    # 3. The partner accepts (the school reads "picked up").
    switch_to(page, live_server, world.partner)
    answer(page, live_server, referral, "accept")
    assert page.locator("#action-record_contact").is_visible()

    switch_to(page, live_server, world.school_coordinator)
    assert pupil_events(page, live_server) == ["The question has been picked up."]
    assert serious_violations(page) == []

    # 4. The partner records the first contact (the school reads "support has started").
    switch_to(page, live_server, world.partner)
    answer(page, live_server, referral, "record_contact")
    referral.refresh_from_db()
    assert referral.status == Status.CONTACT_MADE

    switch_to(page, live_server, world.school_coordinator)
    assert pupil_events(page, live_server) == ["The question has been picked up.", "Support has started."]
    card = page.locator(".pupil", has=page.locator("h2", has_text="Noor Leaksma"))
    assert "+32 470 99 88 77" in card.inner_text()
    # Delivered in-app too: the school's notices page says the same, and nothing more.
    assert [(n.event, n.sent_at is not None) for n in SchoolNotice.objects.order_by("pk")] == [
        (NoticeEvent.PICKED_UP, True),
        (NoticeEvent.STARTED, True),
    ]
    page.goto(f"{live_server.url}/notices/")
    notices = page.locator("main").inner_text()
    assert "Support has started." in notices
    assert "Huiswerkklas" not in notices and "homework" not in notices
