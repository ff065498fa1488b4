"""The bridge figure's referral pages: warm referral from the catalogue, consent on the spot,
send, withdraw with a stale version, follow-up and re-referral, and school requests."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Consent, ConsentScope
from partners.models import NeedDomain
from referrals.lifecycle import accept_referral, record_contact, send_referral
from referrals.models import Referral, SchoolRequest, Status

from .. import factories as f


def error_codes(form) -> list[str]:
    return [error.code for error in form.non_field_errors().as_data()]


@pytest.fixture
def offer(world):
    offer = f.OfferFactory(
        organisation=world.partner_org,
        name="Huiswerkklas maandag",
        contact_name="Els Contact",
        age_min=6,
        age_max=12,
        languages="nl, ar",
        typical_wait_days=10,
    )
    offer.need_domains.set([NeedDomain.objects.get(code="learning_homework")])
    return offer


def referral_payload(world, offer, **overrides) -> dict:
    data = {
        "child": world.child.pk,
        "need_domains": [NeedDomain.objects.get(code="learning_homework").pk],
        "offer": offer.pk,
        "warmth": "3",
        "source": "family",
        "question": "Noor wants help with her maths homework",
        "review": "1",
    }
    data.update(overrides)
    return data


def test_catalogue_filters_and_shows_stale_offers(client, world, offer):
    world.give("register")
    stale = f.OfferFactory(
        organisation=world.outsider_org,
        name="Old summer school",
        verified_at=timezone.localdate() - datetime.timedelta(days=400),
    )
    stale.need_domains.set([NeedDomain.objects.get(code="learning_homework")])
    f.OfferFactory(organisation=world.outsider_org, name="Toddler play", age_min=0, age_max=3)
    client.force_login(world.bridge)
    url = reverse("referral_create", args=[world.family.pk])
    response = client.get(url, {"age": 8, "domain": NeedDomain.objects.get(code="learning_homework").pk})
    assert {o.name for o in response.context["offers"]} == {"Huiswerkklas maandag", "Old summer school"}
    assert {o.name for o in response.context["offers"] if o.is_stale} == {"Old summer school"}
    response = client.get(url, {"language": "ar", "max_wait": 20})
    assert {o.name for o in response.context["offers"]} == {"Huiswerkklas maandag"}


def test_warm_referral_with_consent_on_the_spot_is_sent(client, world, offer):
    world.give("register")
    client.force_login(world.bridge)
    response = client.post(reverse("referral_create", args=[world.family.pk]), referral_payload(world, offer))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referral_review", args=[referral.pk])
    assert (
        referral.status,
        referral.receiving_organisation,
        referral.receiving_contact,
        referral.warmth,
    ) == (
        Status.DRAFT,
        world.partner_org,
        "Els Contact",
        3,
    )
    review = client.get(response["Location"])
    assert review.context["has_consent"] is False
    # sending without consent: refused, shown on the form
    response = client.post(reverse("referral_review", args=[referral.pk]), {"send-version": referral.version})
    assert response.status_code == 200
    assert error_codes(response.context["send_form"]) == ["consent_missing"]
    response = client.post(
        reverse("referral_consent", args=[referral.pk]),
        {"consent-given_by": "guardian", "consent-guardian": world.guardian.pk, "consent-method": "verbal"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(scope=ConsentScope.REFER)
    assert (consent.recipient, consent.child) == (world.partner_org, world.child)
    response = client.post(reverse("referral_review", args=[referral.pk]), {"send-version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_refer_consent_for_a_teen_needs_their_own_agreement(client, world, offer):
    world.give("register")
    world.give("register", child=world.teen)
    client.force_login(world.bridge)
    client.post(
        reverse("referral_create", args=[world.family.pk]),
        referral_payload(world, offer, child=world.teen.pk),
    )
    referral = Referral.objects.get()
    response = client.post(
        reverse("referral_consent", args=[referral.pk]),
        {"consent-given_by": "guardian", "consent-guardian": world.guardian.pk, "consent-method": "verbal"},
    )
    assert response.status_code == 200
    assert "young_person_agreed" in str(response.context["consent_form"].errors.as_data())
    assert not Consent.objects.filter(scope=ConsentScope.REFER).exists()


def test_draft_can_be_saved_and_edited(client, world, offer):
    world.give("register")
    client.force_login(world.bridge)
    payload = referral_payload(world, offer, question="", save_draft="1")
    del payload["review"]
    response = client.post(reverse("referral_create", args=[world.family.pk]), payload)
    referral = Referral.objects.get()
    assert response["Location"] == reverse("family_detail", args=[world.family.pk])
    response = client.post(
        reverse("referral_edit", args=[referral.pk]),
        referral_payload(world, offer, question="Edited question"),
    )
    referral.refresh_from_db()
    assert (referral.question, referral.status) == ("Edited question", Status.DRAFT)


def sent_referral(world) -> Referral:
    world.give("register")
    world.give("refer", world.partner_org)
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
    )
    return send_referral(referral, by=world.bridge)


def test_withdraw_with_a_stale_version_is_reported_and_changes_nothing(client, world):
    referral = sent_referral(world)
    client.force_login(world.bridge)
    seen = referral.version
    accept_referral(referral, by=world.partner)
    response = client.post(reverse("referral_withdraw", args=[referral.pk]), {"version": seen})
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == ["concurrent_change"]
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    response = client.post(reverse("referral_withdraw", args=[referral.pk]), {"version": referral.version})
    referral.refresh_from_db()
    assert (response.status_code, referral.status) == (302, Status.WITHDRAWN)


def test_follow_up_not_the_right_place_opens_a_linked_re_referral(client, world):
    referral = sent_referral(world)
    accept_referral(referral, by=world.partner)
    record_contact(referral, by=world.partner)
    client.force_login(world.bridge)
    assert [r.pk for r in client.get(reverse("home")).context["follow_ups_due"]] == [referral.pk]
    detail = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert reverse("referral_follow_up", args=[referral.pk]) in detail
    client.force_login(world.partner)
    detail = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert reverse("referral_follow_up", args=[referral.pk]) not in detail
    client.force_login(world.bridge)
    response = client.post(
        reverse("referral_follow_up", args=[referral.pk]),
        {"version": referral.version, "result": "wrong_place"},
    )
    again = Referral.objects.get(previous_referral=referral)
    assert response["Location"] == reverse("referral_edit", args=[again.pk])
    assert again.status == Status.DRAFT
    assert list(client.get(reverse("home")).context["follow_ups_due"]) == []


def test_follow_up_before_contact_is_refused_on_the_form(client, world):
    referral = sent_referral(world)
    client.force_login(world.bridge)
    response = client.post(
        reverse("referral_follow_up", args=[referral.pk]), {"version": referral.version, "result": "yes"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_school_request_pick_up_link_and_handle(client, world):
    world.give("register")
    request_ = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    hidden = f.SchoolRequestFactory(school=world.other_school, pupil_last_name="OtherSchoolSecret")
    client.force_login(world.bridge)
    listing = client.get(reverse("school_request_list"))
    assert [r.pk for r in listing.context["school_requests"]] == [request_.pk]
    assert "OtherSchoolSecret" not in listing.content.decode()
    # handled before picked up: refused with a reason
    client.post(reverse("school_request_handled", args=[request_.pk]))
    request_.refresh_from_db()
    assert request_.status == SchoolRequest.Status.OPEN
    client.post(reverse("school_request_pick_up", args=[request_.pk]))
    client.post(reverse("school_request_link", args=[request_.pk]), {"family": world.family.pk})
    client.post(reverse("school_request_handled", args=[request_.pk]))
    request_.refresh_from_db()
    assert (request_.status, request_.picked_up_by, request_.family) == (
        SchoolRequest.Status.HANDLED,
        world.bridge,
        world.family,
    )
    assert client.post(reverse("school_request_pick_up", args=[hidden.pk])).status_code == 404
