"""The bridge figure's family pages: caseload list, opening a file with consent, the quick log,
withdrawing and renewing consent, and the number of queries the lists cost."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Consent, ConsentScope, ContactMoment, Family
from partners.models import NeedDomain

from .. import factories as f


def family_with_register(world, **kwargs) -> Family:
    family = f.FamilyFactory(holding_team=world.team, **kwargs)
    f.GuardianFactory(family=family, last_name=f"Marker{family.pk}")
    world.give("register", family=family)
    return family


def create_payload(world, **overrides) -> dict:
    year = timezone.localdate().year
    data = {
        "guardian-first_name": "Fatima",
        "guardian-last_name": "Newfile",
        "guardian-relationship": "mother",
        "guardian-phone": "0470 11 22 33",
        "consent-agreed": "on",
        "consent-method": "verbal",
        "consent-given_on": timezone.localdate().isoformat(),
        "family-languages": "Arabic, Dutch",
        "family-interpreter_needed": "on",
        "family-preferred_channel": "whatsapp",
        "family-postcode": "9000",
        "children-TOTAL_FORMS": "2",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "8",
        "children-0-first_name": "Lina",
        "children-0-last_name": "Newfile",
        "children-0-birth_year": str(year - 7),
        "children-0-school": str(world.school.pk),
        "children-0-grade": "2",
        "children-1-first_name": "Omar",
        "children-1-last_name": "Newfile",
        "children-1-birth_year": str(year - 13),
        "children-1-school": str(world.school.pk),
        "children-1-grade": "1A",
    }
    data.update(overrides)
    return data


def test_family_create_records_register_consent_and_the_12_plus_rule(client, world):
    client.force_login(world.bridge)
    response = client.post(
        reverse("family_create"), create_payload(world, **{"children-1-young_person_agreed": "on"})
    )
    family = Family.objects.get(guardians__last_name="Newfile")
    assert response.status_code == 302
    assert response["Location"] == reverse("family_detail", args=[family.pk])
    consents = {(c.scope, c.given_by, c.child.first_name if c.child else None) for c in family.consents.all()}
    assert consents == {("register", "guardian", None), ("register", "young_person", "Omar")}
    assert (family.holding_team, family.primary_bridge_figure, family.preferred_channel) == (
        world.team,
        world.bridge,
        "whatsapp",
    )
    html = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    assert "Lina" in html and "Omar" in html


def test_family_create_without_teen_agreement_hides_the_teen(client, world):
    client.force_login(world.bridge)
    client.post(reverse("family_create"), create_payload(world))
    family = Family.objects.get(guardians__last_name="Newfile")
    html = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    assert "Lina" in html and "Omar" not in html


def test_family_create_without_agreement_keeps_what_was_typed(client, world):
    client.force_login(world.bridge)
    response = client.post(reverse("family_create"), create_payload(world, **{"consent-agreed": ""}))
    assert response.status_code == 200
    assert not Family.objects.filter(guardians__last_name="Newfile").exists()
    assert 'value="Fatima"' in response.content.decode()


def test_family_create_is_404_for_a_partner(client, world):
    client.force_login(world.partner)
    assert client.get(reverse("family_create")).status_code == 404


def test_family_list_shows_exactly_the_visible_families(client, world):
    world.give("register")
    family_with_register(world)
    other = f.FamilyFactory(holding_team=world.other_team)
    f.GuardianFactory(family=other, last_name="OtherTeamSecret")
    world.give("register", family=other)
    unconsented = f.FamilyFactory(holding_team=world.team)
    f.GuardianFactory(family=unconsented, last_name="NoConsentSecret")
    client.force_login(world.bridge)
    response = client.get(reverse("family_list"))
    assert {family.pk for family in response.context["page"]} == set(
        Family.objects.visible_to(world.bridge).values_list("pk", flat=True)
    )
    assert len(response.context["page"]) == 2
    html = response.content.decode()
    assert "OtherTeamSecret" not in html and "NoConsentSecret" not in html


def test_family_list_search_finds_by_guardian_name(client, world):
    world.give("register")
    second = family_with_register(world)
    client.force_login(world.bridge)
    response = client.get(reverse("family_list"), {"q": "leaksma"})
    assert [family.pk for family in response.context["page"]] == [world.family.pk]
    response = client.get(reverse("family_list"), {"q": second.reference})
    assert [family.pk for family in response.context["page"]] == [second.pk]


@pytest.mark.parametrize("url_name", ["family_list", "home"])
def test_caseload_query_count_is_the_same_with_1_and_50_families(
    client, world, url_name, django_assert_num_queries
):
    world.give("register")
    world.give("refer", world.partner_org, child=world.child, state="active")
    moment = ContactMoment.objects.create(
        team=world.team,
        bridge_figure=world.bridge,
        kind="phone",
        family=world.family,
        follow_up_on=timezone.localdate(),
    )
    moment.topics.set(NeedDomain.objects.all()[:2])
    client.force_login(world.bridge)
    url = reverse(url_name)
    client.get(url)  # warm up session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(49):
        family = family_with_register(world)
        world.give("refer", world.partner_org, family=family)
        f.ReferralFactory(family=family, created_by=world.bridge, receiving_organisation=world.partner_org)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200


def test_contact_moment_quick_log_anonymous(client, world):
    client.force_login(world.bridge)
    page = client.get(reverse("contact_moment_create"))
    assert page.context["form"]["happened_on"].value() == timezone.localdate()
    domains = list(NeedDomain.objects.all()[:2])
    response = client.post(
        reverse("contact_moment_create"),
        {
            "kind": "school_gate",
            "happened_on": timezone.localdate().isoformat(),
            "school": world.school.pk,
            "topics": [d.pk for d in domains],
            "note": "asked about the school trip costs",
        },
    )
    assert response.status_code == 302
    moment = ContactMoment.objects.get()
    assert (moment.team, moment.bridge_figure, moment.family, moment.school) == (
        world.team,
        world.bridge,
        None,
        world.school,
    )
    assert set(moment.topics.all()) == set(domains)


def test_contact_moment_cannot_name_a_family_of_another_team(client, world):
    other = f.FamilyFactory(holding_team=world.other_team)
    world.give("register", family=other)
    client.force_login(world.bridge)
    response = client.post(
        reverse("contact_moment_create"),
        {"kind": "phone", "happened_on": timezone.localdate().isoformat(), "family": other.pk},
    )
    assert response.status_code == 200
    assert "family" in response.context["form"].errors
    assert not ContactMoment.objects.exists()


def test_withdrawing_register_needs_confirmation_and_anonymises(client, world):
    consent = world.give("register")
    world.bridge.language = "en"
    world.bridge.save(update_fields=["language"])
    client.force_login(world.bridge)
    url = reverse("consent_withdraw", args=[world.family.pk, consent.pk])
    page = client.get(url).content.decode()
    assert "close the file" in page
    response = client.post(url, {"reason": "family asked"})
    assert response.status_code == 200  # not confirmed
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    response = client.post(url, {"reason": "family asked", "confirm": "on"})
    assert response.status_code == 302
    world.family.refresh_from_db()
    assert world.family.anonymised_at is not None
    assert client.get(reverse("family_detail", args=[world.family.pk])).status_code == 404


def test_renewing_an_expiring_consent_links_to_the_old_one(client, world):
    world.give("register")
    old = f.ConsentFactory(
        family=world.family,
        scope=ConsentScope.REFER,
        recipient=world.partner_org,
        recorded_by=world.bridge,
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(world.bridge)
    home = client.get(reverse("home"))
    assert [c.pk for c in home.context["expiring_consents"]] == [old.pk]
    response = client.post(reverse("consent_renew", args=[world.family.pk, old.pk]), {"method": "paper"})
    assert response.status_code == 302
    new = Consent.objects.get(renews=old)
    assert (new.scope, new.recipient, new.method) == ("refer", world.partner_org, "paper")
    assert list(client.get(reverse("home")).context["expiring_consents"]) == []


def test_family_detail_shows_timeline_and_reads(client, world):
    world.give("register")
    ContactMoment.objects.create(
        team=world.team, bridge_figure=world.bridge, kind="phone", family=world.family, note="TIMELINE-NOTE"
    )
    client.force_login(world.colleague)
    client.get(reverse("family_detail", args=[world.family.pk]))
    client.force_login(world.bridge)
    html = client.get(reverse("family_detail", args=[world.family.pk])).content.decode()
    assert "TIMELINE-NOTE" in html
    assert str(world.colleague) in html
