"""The receiving organisation's answers on the referral page: scope (404 outside it), identity
only while consent holds, each action through the view with its note kept from schools, a
concurrent change that loses nothing, and an illegal move refused with its reason."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from families.actions import withdraw_consent
from families.models import ConsentScope
from partners.models import Role
from referrals.lifecycle import accept_referral, record_contact, send_referral
from referrals.models import Referral, ReferralEvent, SchoolNotice, Status
from referrals.partner_forms import PARTNER_ACTIONS

from .. import factories as f

QUESTION = "Noor would like help with reading after school"


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def refer_consent(world):
    world.give("register")
    return world.give(ConsentScope.REFER, world.partner_org)


@pytest.fixture
def referral(world, refer_consent) -> Referral:
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question=QUESTION,
    )
    return send_referral(referral, by=world.bridge)


def act_url(referral, action: str) -> str:
    return reverse("referral_act", args=[referral.pk, action])


def post_action(client, referral, action: str, version: int | None = None, **fields):
    data = {f"{action}-version": referral.version if version is None else version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(act_url(referral, action), data)


def non_field_codes(response, action: str) -> list[str]:
    form = next(item["form"] for item in response.context["action_forms"] if item["action"] == action)
    return [error.code for error in form.non_field_errors().as_data()]


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize("who", ["outsider", "other_bridge", "school_coordinator", "network_coordinator"])
def test_detail_and_every_action_are_not_found_outside_the_receiving_organisation(
    client, world, referral, who
):
    client.force_login(world.everyone[who])
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    for action in PARTNER_ACTIONS:
        assert client.get(act_url(referral, action)).status_code == 404
        assert (
            post_action(client, referral, action, reason="no_capacity", outcome="resolved").status_code == 404
        )
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_the_referring_team_cannot_use_the_partner_actions(client, world, referral):
    client.force_login(world.bridge)
    assert post_action(client, referral, "accept").status_code == 404
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert 'id="action-accept"' not in page


def test_unknown_action_is_not_found(client, world, referral):
    client.force_login(world.partner)
    assert post_action(client, referral, "withdraw").status_code == 404
    assert post_action(client, referral, "send").status_code == 404


# --------------------------------------------------------------------------- identity and consent


def test_detail_shows_identity_and_only_the_allowed_actions(client, world, referral):
    client.force_login(english(world.partner))
    response = client.get(reverse("referral_detail", args=[referral.pk]))
    page = response.content.decode()
    for shown in [
        "Noor Leaksma",
        "8 years old",
        "Amina Leaksma",
        "+32 470 00 00 00",
        QUESTION,
        world.family.reference,
    ]:
        assert shown in page
    assert [item["action"] for item in response.context["action_forms"]] == ["accept", "decline"]
    assert 'id="action-accept"' in page and 'id="action-decline"' in page
    assert 'id="action-close"' not in page


@pytest.mark.parametrize("ended", ["withdrawn", "expired"])
def test_detail_hides_identity_after_consent_ends_but_shows_status(
    client, world, referral, refer_consent, ended
):
    accept_referral(referral, by=world.partner)
    english(world.partner)

    def assert_hidden():
        client.force_login(world.partner)
        response = client.get(reverse("referral_detail", args=[referral.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        for hidden in ["Noor", "Leaksma", "Amina", "+32 470", QUESTION, world.family.reference]:
            assert hidden not in page
        assert "accepted" in page
        assert 'id="consent-not-active"' in page
        assert response.context["identity"] is None
        # the status can still be moved on, without showing content
        assert 'id="action-put_on_waiting_list"' in page

    if ended == "withdrawn":
        withdraw_consent(consent=refer_consent, by=world.bridge)
        assert_hidden()
    else:
        after_expiry = timezone.make_aware(
            datetime.datetime.combine(
                refer_consent.expires_on + datetime.timedelta(days=1), datetime.time(10)
            )
        )
        with time_machine.travel(after_expiry, tick=False):
            assert_hidden()


def test_child_level_consent_shows_the_child_but_not_the_guardians(client, world):
    world.give("register")
    world.give(ConsentScope.REFER, world.partner_org, child=world.child)
    referral = send_referral(
        f.ReferralFactory(
            family=world.family,
            child=world.child,
            created_by=world.bridge,
            receiving_organisation=world.partner_org,
        ),
        by=world.bridge,
    )
    client.force_login(world.partner)
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Noor Leaksma" in page
    assert "Amina" not in page


# --------------------------------------------------------------------------- each action


def school_sees(client, world) -> str:
    client.force_login(world.school_coordinator)
    pages = [
        reverse("home"),
        reverse("notice_list"),
        reverse("school_pupils"),
        reverse("school_request_mine"),
    ]
    return "".join(client.get(url).content.decode() for url in pages)


def assert_note_stays_with_the_team(client, world, note: str) -> None:
    for notice in SchoolNotice.objects.all():
        for field in notice._meta.concrete_fields:
            assert note not in str(getattr(notice, field.attname))
    assert note not in school_sees(client, world)


def test_each_action_moves_the_referral_and_keeps_its_note_from_the_school(
    client, world, referral, django_capture_on_commit_callbacks
):
    world.give(ConsentScope.INFORM_SCHOOL, world.school, child=world.child)
    steps = [
        ("accept", Status.ACCEPTED, {}),
        (
            "put_on_waiting_list",
            Status.WAITING,
            {
                "expected_start": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
                "interim_support": "INTERIM-homework-buddy",
            },
        ),
        ("record_contact", Status.CONTACT_MADE, {"on": timezone.localdate().isoformat()}),
        ("start", Status.IN_PROGRESS, {}),
        ("close", Status.CLOSED, {"outcome": "partly_resolved"}),
    ]
    for action, status, fields in steps:
        note = f"NOTE-{action}-family-had-a-hard-week"
        client.force_login(world.partner)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_action(client, referral, action, note=note, **fields)
        assert response.status_code == 302, response.context and response.context["action_forms"]
        assert response["Location"] == reverse("referral_detail", args=[referral.pk])
        referral.refresh_from_db()
        event = ReferralEvent.objects.filter(referral=referral).last()
        assert (referral.status, event.action, event.note, event.by) == (status, action, note, world.partner)
        assert_note_stays_with_the_team(client, world, note)
    assert SchoolNotice.objects.filter(child=world.child).exists()  # the school did hear *that* it moved
    assert "INTERIM-homework-buddy" not in school_sees(client, world)
    assert (referral.expected_start, referral.contact_made_on, referral.outcome) == (
        timezone.localdate() + datetime.timedelta(days=20),
        timezone.localdate(),
        "partly_resolved",
    )
    # the referring team reads the notes on the referral's history
    client.force_login(world.bridge)
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "NOTE-close-family-had-a-hard-week" in page


def test_decline_with_reason_and_suggested_offer(client, world, referral):
    world.give(ConsentScope.INFORM_SCHOOL, world.school, child=world.child)
    offer = f.OfferFactory(organisation=world.outsider_org, name="Leesclub Elders")
    client.force_login(world.partner)
    note = "NOTE-decline-we-are-full-until-spring"
    response = post_action(
        client, referral, "decline", reason="no_capacity", note=note, suggested_offer=offer.pk
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.suggested_offer) == (
        Status.DECLINED,
        "no_capacity",
        offer,
    )
    assert ReferralEvent.objects.filter(referral=referral).last().note == note
    assert_note_stays_with_the_team(client, world, note)


def test_decline_without_reason_is_refused_on_the_form(client, world, referral):
    client.force_login(english(world.partner))
    response = post_action(client, referral, "decline", note="typed text to keep")
    assert response.status_code == 200
    assert "typed text to keep" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_contact_date_in_the_future_is_refused(client, world, referral):
    accept_referral(referral, by=world.partner)
    client.force_login(world.partner)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_action(client, referral, "record_contact", on=tomorrow.isoformat())
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_contact_date_defaults_to_today(client, world, referral):
    accept_referral(referral, by=world.partner)
    client.force_login(world.partner)
    response = client.get(reverse("referral_detail", args=[referral.pk]))
    form = next(
        item["form"] for item in response.context["action_forms"] if item["action"] == "record_contact"
    )
    assert form["on"].value() == timezone.localdate()


# --------------------------------------------------------------------------- refusals


def test_second_worker_with_a_stale_page_loses_nothing_and_wins_nothing(client, world, referral):
    colleague = english(f.UserFactory(email="partner-colleague@world.test"))
    f.MembershipFactory(user=colleague, organisation=world.partner_org, role=Role.PARTNER_WORKER)
    detail = reverse("referral_detail", args=[referral.pk])
    client.force_login(world.partner)
    seen_by_a = client.get(detail).context["action_forms"][0]["form"]["version"].value()
    client.force_login(colleague)
    seen_by_b = client.get(detail).context["action_forms"][0]["form"]["version"].value()
    assert seen_by_a == seen_by_b == referral.version

    client.force_login(world.partner)
    assert post_action(client, referral, "accept", version=seen_by_a).status_code == 302

    client.force_login(colleague)
    typed = "B-typed-this-we-have-no-room"
    response = post_action(client, referral, "decline", version=seen_by_b, reason="no_capacity", note=typed)
    assert response.status_code == 200
    assert non_field_codes(response, "decline") == ["concurrent_change"]
    page = response.content.decode()
    assert "This referral changed meanwhile (it is now “accepted”)" in page
    assert "Your input is kept below" in page
    assert typed in page
    form = next(item["form"] for item in response.context["action_forms"] if item["action"] == "decline")
    assert (form["reason"].value(), form["note"].value()) == ("no_capacity", typed)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert not ReferralEvent.objects.filter(referral=referral, action="decline").exists()
    assert referral.decline_reason == ""


def test_retry_after_a_concurrent_change_is_judged_on_the_new_status(client, world, referral):
    client.force_login(english(world.partner))
    stale = referral.version
    accept_referral(referral, by=world.partner)
    response = post_action(client, referral, "decline", version=stale, reason="no_capacity")
    retried = response.context["action_forms"]
    form = next(item["form"] for item in retried if item["action"] == "decline")
    referral.refresh_from_db()
    assert form["version"].value() == str(referral.version)
    response = post_action(client, referral, "decline", version=referral.version, reason="no_capacity")
    assert non_field_codes(response, "decline") == ["illegal_transition"]
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_illegal_transition_is_refused_with_its_reason(client, world, referral):
    client.force_login(english(world.partner))
    response = post_action(
        client, referral, "record_contact", on=timezone.localdate().isoformat(), note="kept-contact-note"
    )
    assert response.status_code == 200
    assert non_field_codes(response, "record_contact") == ["illegal_transition"]
    page = response.content.decode()
    assert "A referral that is “sent” cannot be marked as contact made." in page
    assert "kept-contact-note" in page
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    assert not ReferralEvent.objects.filter(referral=referral, action="record_contact").exists()


def test_closing_a_declined_referral_is_refused(client, world, referral):
    client.force_login(world.partner)
    assert post_action(client, referral, "decline", reason="outside_target").status_code == 302
    referral.refresh_from_db()
    response = post_action(client, referral, "close", outcome="resolved")
    assert non_field_codes(response, "close") == ["illegal_transition"]
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED


def test_record_contact_before_sending_date_is_refused(client, world, referral):
    accept_referral(referral, by=world.partner)
    client.force_login(world.partner)
    before = timezone.localdate(referral.sent_at) - datetime.timedelta(days=3)
    response = post_action(client, referral, "record_contact", on=before.isoformat())
    assert non_field_codes(response, "record_contact") == ["before_sent"]
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_record_contact_keeps_lifecycle_rules_for_waiting(client, world, referral):
    accept_referral(referral, by=world.partner)
    record_contact(referral, by=world.partner)
    client.force_login(world.partner)
    response = post_action(client, referral, "put_on_waiting_list")
    assert non_field_codes(response, "put_on_waiting_list") == ["illegal_transition"]
