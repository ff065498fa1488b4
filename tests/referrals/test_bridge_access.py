"""Not found, not forbidden: a bridge figure of another team gets 404 on every bridge URL of this
family and its referrals, for GET and POST, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.lifecycle import accept_referral, record_contact, send_referral
from referrals.models import Referral

from .. import factories as f

URLS = [
    ("family_detail", "family"),
    ("family_edit", "family"),
    ("guardian_add", "family"),
    ("guardian_edit", "guardian"),
    ("child_add", "family"),
    ("child_edit", "child"),
    ("consent_withdraw", "consent"),
    ("consent_renew", "consent"),
    ("referral_create", "family"),
    ("referral_edit", "draft"),
    ("referral_review", "draft"),
    ("referral_consent", "draft"),
    ("referral_withdraw", "sent"),
    ("referral_follow_up", "sent"),
    ("referral_detail", "sent"),
    ("school_request_link", "school_request"),
    ("school_request_pick_up", "school_request"),
    ("school_request_handled", "school_request"),
]


@pytest.fixture
def objects(world):
    register = world.give("register")
    world.give("refer", world.partner_org)
    draft = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
    )
    sent = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
    )
    send_referral(sent, by=world.bridge)
    accept_referral(sent, by=world.partner)
    record_contact(sent, by=world.partner)
    school_request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    return {
        "family": [world.family.pk],
        "consent": [world.family.pk, register.pk],
        "guardian": [world.family.pk, world.guardian.pk],
        "child": [world.family.pk, world.child.pk],
        "draft": [draft.pk],
        "sent": [sent.pk],
        "school_request": [school_request.pk],
    }


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("url_name", "kind"), URLS)
def test_other_team_gets_404_on_every_bridge_url(client, world, objects, url_name, kind, method):
    url = reverse(url_name, args=objects[kind])
    client.force_login(world.other_bridge)
    before = sorted(Referral.objects.values_list("pk", "status", "version"))
    response = getattr(client, method)(
        url, {"version": 1, "send-version": 1, "confirm": "on", "method": "verbal"}
    )
    assert response.status_code == 404
    assert b"Leaksma" not in response.content
    assert sorted(Referral.objects.values_list("pk", "status", "version")) == before
    world.family.refresh_from_db()
    assert world.family.anonymised_at is None


@pytest.mark.parametrize(("url_name", "kind"), URLS)
def test_own_team_reaches_every_bridge_url(client, world, objects, url_name, kind):
    client.force_login(world.colleague)
    response = client.get(reverse(url_name, args=objects[kind]))
    assert response.status_code in {200, 302}
