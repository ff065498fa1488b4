"""The partner worker's inbox: exactly the referrals sent to their organisation(s), grouped, with
the family's identity only while the `refer` consent allows it, and a query count that does not
grow with the number of referrals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.actions import withdraw_consent
from families.models import ConsentScope
from partners.models import Role
from referrals.lifecycle import (
    accept_referral,
    close_referral,
    decline_referral,
    put_on_waiting_list,
    record_contact,
    send_referral,
    start_support,
)
from referrals.models import Referral

from .. import factories as f


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def sent(world, organisation, *, family=None, child=None, by=None) -> Referral:
    family = family or world.family
    referral = f.ReferralFactory(
        family=family,
        child=child,
        created_by=by or world.bridge,
        receiving_organisation=organisation,
        question="Noor would like help with reading",
    )
    return send_referral(referral, by=by or world.bridge)


def inbox_pks(response) -> dict[str, set[int]]:
    return {group["key"]: {r.pk for r in group["referrals"]} for group in response.context["groups"]}


@pytest.fixture
def consents(world):
    world.give("register")
    return {
        "partner": world.give(ConsentScope.REFER, world.partner_org),
        "outsider": world.give(ConsentScope.REFER, world.outsider_org),
    }


def test_inbox_shows_exactly_the_referrals_to_my_organisation(client, world, consents):
    new = sent(world, world.partner_org, child=world.child)
    accepted = accept_referral(sent(world, world.partner_org), by=world.partner)
    waiting = put_on_waiting_list(
        accept_referral(sent(world, world.partner_org), by=world.partner), by=world.partner
    )
    active = start_support(
        record_contact(accept_referral(sent(world, world.partner_org), by=world.partner), by=world.partner),
        by=world.partner,
    )
    declined = decline_referral(sent(world, world.partner_org), by=world.partner, reason="no_capacity")
    closed = close_referral(
        accept_referral(sent(world, world.partner_org), by=world.partner),
        by=world.partner,
        outcome="resolved",
    )
    # leaky data: a draft to my organisation, a referral to another organisation, and another
    # team's draft to my organisation
    f.ReferralFactory(family=world.family, created_by=world.bridge, receiving_organisation=world.partner_org)
    sent(world, world.outsider_org)
    other_family = f.FamilyFactory(holding_team=world.other_team)
    f.GuardianFactory(family=other_family)
    world.give("register", family=other_family)
    f.ReferralFactory(
        family=other_family, created_by=world.other_bridge, receiving_organisation=world.partner_org
    )

    client.force_login(world.partner)
    response = client.get(reverse("partner_inbox"))
    assert response.status_code == 200
    assert inbox_pks(response) == {
        "new": {new.pk},
        "waiting": {accepted.pk, waiting.pk},
        "active": {active.pk},
        "closed": {declined.pk, closed.pk},
    }

    client.force_login(world.outsider)
    response = client.get(reverse("partner_inbox"))
    assert set().union(*inbox_pks(response).values()) == {
        r.pk for r in Referral.objects.filter(receiving_organisation=world.outsider_org, status="sent")
    }


@pytest.mark.parametrize("who", ["bridge", "school_coordinator", "network_coordinator", "administrator"])
def test_inbox_is_not_found_for_other_roles(client, world, who):
    client.force_login(world.everyone[who])
    assert client.get(reverse("partner_inbox")).status_code == 404


def test_inbox_names_the_child_only_while_consent_is_active(client, world, consents):
    referral = sent(world, world.partner_org, child=world.child)
    client.force_login(english(world.partner))
    page = client.get(reverse("partner_inbox")).content.decode()
    assert "Noor Leaksma" in page
    assert world.family.reference in page
    withdraw_consent(consent=consents["partner"], by=world.bridge)
    response = client.get(reverse("partner_inbox"))
    page = response.content.decode()
    assert inbox_pks(response)["new"] == {referral.pk}
    assert "consent not active" in page
    assert "Noor" not in page
    assert "Leaksma" not in page
    assert world.family.reference not in page


def test_inbox_filters_by_group_and_organisation(client, world, consents):
    second_org = f.OrganisationFactory(name="CLB Zonnedorp")
    f.MembershipFactory(user=world.partner, organisation=second_org, role=Role.PARTNER_WORKER)
    world.give(ConsentScope.REFER, second_org)
    first = sent(world, world.partner_org)
    second = sent(world, second_org)
    accepted = accept_referral(sent(world, second_org), by=world.partner)
    client.force_login(world.partner)
    response = client.get(reverse("partner_inbox"), {"organisation": second_org.pk})
    assert set().union(*inbox_pks(response).values()) == {second.pk, accepted.pk}
    response = client.get(reverse("partner_inbox"), {"group": "new"})
    assert inbox_pks(response) == {"new": {first.pk, second.pk}}
    response = client.get(reverse("partner_inbox"), {"group": "waiting", "organisation": second_org.pk})
    assert inbox_pks(response) == {"waiting": {accepted.pk}}


def test_inbox_offers_no_organisation_filter_with_one_organisation(client, world, consents):
    client.force_login(world.partner)
    response = client.get(reverse("partner_inbox"))
    assert "organisation" not in response.context["filter"].form.fields


def test_closed_referrals_are_limited_with_a_show_all_link(client, world, consents):
    closed = [
        decline_referral(sent(world, world.partner_org), by=world.partner, reason="no_capacity")
        for _ in range(12)
    ]
    client.force_login(english(world.partner))
    response = client.get(reverse("partner_inbox"))
    assert len(inbox_pks(response)["closed"]) == 10
    assert "Show all closed referrals" in response.content.decode()
    response = client.get(reverse("partner_inbox"), {"group": "closed"})
    assert inbox_pks(response) == {"closed": {r.pk for r in closed}}


def test_inbox_query_count_is_the_same_with_1_and_50_referrals(
    client, world, consents, django_assert_num_queries
):
    accept_referral(sent(world, world.partner_org, child=world.child), by=world.partner)
    decline_referral(sent(world, world.partner_org), by=world.partner, reason="no_capacity")
    client.force_login(world.partner)
    url = reverse("partner_inbox")
    client.get(url)  # warm up session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(48):
        referral = sent(world, world.partner_org, child=world.child if number % 2 else None)
        if number % 3 == 0:
            accept_referral(referral, by=world.partner)
        elif number % 3 == 1:
            decline_referral(referral, by=world.partner, reason="no_capacity")
    assert Referral.objects.filter(receiving_organisation=world.partner_org).count() == 50
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200


def test_inbox_never_shows_drafts_to_someone_who_is_also_in_the_referring_team(client, world, consents):
    f.MembershipFactory(user=world.bridge, organisation=world.partner_org, role=Role.PARTNER_WORKER)
    draft = f.ReferralFactory(
        family=world.family, created_by=world.bridge, receiving_organisation=world.partner_org
    )
    new = sent(world, world.partner_org)
    assert draft in Referral.objects.visible_to(world.bridge)  # the bridge side may see its own draft
    client.force_login(world.bridge)
    response = client.get(reverse("partner_inbox"))
    assert set().union(*inbox_pks(response).values()) == {new.pk}
