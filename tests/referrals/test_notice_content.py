"""What notices and e-mails say (DESIGN.md §7), for every event, in nl, fr and en.

Every piece of content that must not travel carries a marker string. E-mails carry no personal
data at all (a count and a link); a school notice carries the pupil, the event and the bridge
figure to call, and nothing else of §7's "never" list; notices to partners and bridge figures
carry no personal data either (their link goes through the gate)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from families.models import ConsentScope
from partners.models import NeedDomain
from referrals import delivery
from referrals.lifecycle import (
    accept_referral,
    close_referral,
    decline_referral,
    put_on_waiting_list,
    record_contact,
    send_referral,
)
from referrals.models import NoticeEvent, Notification, Referral, SchoolNotice, SchoolRequest
from referrals.requests import create_school_request
from tests import factories as f

LANGUAGES = ["nl", "fr", "en"]


@pytest.fixture
def world_with_markers(world):
    """Two referrals about `child` (one accepted and taken to its end, one declined) full of
    marker strings, a school request answered without consent, every notice delivered, a reminder
    and a stale count: every kind of notice and school event exists once."""
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    world.partner_org.name = "ORGMARKER Huiswerkklas"
    world.partner_org.save()
    world.bridge.full_name = "Brugfiguur Bram"
    world.bridge.phone = "+32 470 11 22 33"
    world.bridge.save()
    world.partner.full_name = "PARTNERNAMEMARKER"
    world.partner.save()
    offer = f.OfferFactory(organisation=world.partner_org, name="OFFERMARKER homework club")

    def referral(**kwargs) -> Referral:
        return f.ReferralFactory(
            family=world.family,
            child=world.child,
            created_by=world.bridge,
            receiving_organisation=world.partner_org,
            offer=offer,
            receiving_contact="CONTACTMARKER Jan",
            question="QUESTIONMARKER Noor cannot read the letters from school",
            need_domains=[f.need_domain("learning_homework"), f.need_domain("housing")],
            **kwargs,
        )

    main = referral()
    send_referral(main, by=world.bridge, expected_version=None)
    accept_referral(main, by=world.partner, note="NOTEMARKER accepted")
    put_on_waiting_list(main, by=world.partner, interim_support="INTERIMMARKER", note="NOTEMARKER wait")
    record_contact(main, by=world.partner, note="NOTEMARKER contact")
    close_referral(main, by=world.partner, outcome=Referral.Outcome.FAMILY_STOPPED, note="NOTEMARKER end")

    declined = referral()
    send_referral(declined, by=world.bridge)
    decline_referral(
        declined, by=world.partner, reason=Referral.DeclineReason.OUTSIDE_TARGET, note="DECLINEMARKER too old"
    )

    # Asked through the action, so the covering bridge figure's notice of it exists too.
    request = create_school_request(
        school=world.school,
        by=world.school_coordinator,
        pupil_first_name="Sami",
        pupil_last_name="Leaksma",
        grade="4",
        reason="REASONMARKER absent on Mondays",
        parents_know=SchoolRequest.ParentsKnow.YES,
    )
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    about_teen = f.ReferralFactory(
        family=world.family,
        child=world.teen,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="QUESTIONMARKER teen",
        school_request=request,
        source=Referral.Source.SCHOOL,
    )
    send_referral(about_teen, by=world.bridge)
    accept_referral(about_teen, by=world.partner)

    waiting = referral()
    send_referral(waiting, by=world.bridge)
    Referral.objects.filter(pk=waiting.pk).update(respond_by="2000-01-03")
    delivery.check_response_deadlines()

    for notice in SchoolNotice.objects.all():
        delivery.deliver_school_notice(notice.pk)
    return world


def personal_markers(world) -> list[str]:
    """Personal data and referral content: never in an e-mail."""
    family = world.family
    markers = [
        world.child.first_name,
        world.child.last_name,
        world.teen.first_name,
        world.guardian.first_name,
        family.reference,
        "Sami",
        "Leaksma",
        "Brugfiguur Bram",
        "+32 470 11 22 33",
        world.school.name,
    ]
    return markers + school_forbidden_markers(world)


def school_forbidden_markers(world) -> list[str]:
    """What §7 says a school never learns: organisation, offer, need domain, any reason,
    outcome or note (and the question, the contact, the worker)."""
    markers = [
        "ORGMARKER",
        "OFFERMARKER",
        "QUESTIONMARKER",
        "CONTACTMARKER",
        "PARTNERNAMEMARKER",
        "NOTEMARKER",
        "INTERIMMARKER",
        "DECLINEMARKER",
        "REASONMARKER",
    ]
    for domain in NeedDomain.objects.filter(code__in=["learning_homework", "housing"]):
        markers += [domain.label_nl, domain.label_fr, domain.label_en]
    for language in LANGUAGES:
        with translation.override(language):
            markers += [str(label) for label in Referral.Outcome.labels]
            markers += [str(label) for label in Referral.DeclineReason.labels]
    return markers


def leaks(text: str, markers: list[str]) -> list[str]:
    return [marker for marker in markers if marker.lower() in text.lower()]


def test_fixture_has_every_kind_and_school_event(world_with_markers):
    assert set(Notification.objects.values_list("kind", flat=True)) == set(Notification.Kind.values)
    assert set(SchoolNotice.objects.values_list("event", flat=True)) == set(NoticeEvent.values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_emails_carry_no_personal_data_for_any_event(world_with_markers, language):
    world = world_with_markers
    markers = personal_markers(world)
    recipients = {notice.recipient for notice in Notification.objects.select_related("recipient")}
    for recipient in recipients:
        recipient.language = language
        recipient.save()
        # Each kind alone (an immediate nudge) and all together (a digest).
        kinds = set(Notification.objects.filter(recipient=recipient).values_list("kind", flat=True))
        for counted in [*({kind: 1} for kind in kinds), dict.fromkeys(kinds, 2)]:
            subject, text, html = delivery.render_nudge(recipient, kinds=counted, total=sum(counted.values()))
            assert leaks(subject + text + html, markers) == []
            assert "/notices/" in text and "/notices/" in html
            assert f'lang="{language}"' in html
        assert delivery.send_nudge(recipient.pk) > 0

    sent = mail.outbox
    assert sorted(message.to[0] for message in sent) == sorted(user.email for user in recipients)
    for message in sent:
        whole = message.subject + message.body + "".join(content for content, _type in message.alternatives)
        assert leaks(whole, markers) == []
        assert "/referrals/" not in whole


@pytest.mark.parametrize("language", LANGUAGES)
def test_school_notices_carry_nothing_beyond_section_7(world_with_markers, language):
    world = world_with_markers
    forbidden = school_forbidden_markers(world)
    notices = Notification.objects.visible_to(world.school_coordinator).select_related(
        "school_notice__child", "school_notice__school_request", "school_notice__bridge_figure"
    )
    assert {notice.school_notice.event for notice in notices} == set(NoticeEvent.values)
    with translation.override(language):
        for notice in notices:
            html = render_to_string("notices/_notice.html", {"notice": notice, "forloop": {"counter": 1}})
            assert leaks(html, forbidden) == []
            assert escape(notice.school_notice.get_event_display()) in html
            assert "Brugfiguur Bram" in html and "+32 470 11 22 33" in html
            assert notice.school_notice.pupil_name in html
            assert "/referrals/" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_notices_to_partners_bridge_figures_and_coordinators_carry_no_personal_data(
    world_with_markers, language
):
    world = world_with_markers
    markers = personal_markers(world)
    for user in (world.partner, world.bridge, world.network_coordinator):
        notices = Notification.objects.visible_to(user)
        assert notices.exists()
        with translation.override(language):
            for notice in notices:
                html = render_to_string("notices/_notice.html", {"notice": notice, "forloop": {"counter": 1}})
                assert leaks(html, markers) == []
