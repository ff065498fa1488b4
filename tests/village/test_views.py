"""Project pages: home per role, detail views through the gate (404 outside scope), the access log,
closed sign-up, the second-factor rule, the language switch and the health check."""

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from families.actions import withdraw_consent
from referrals.lifecycle import accept_referral, send_referral
from village.models import AccessLog

from .. import factories as f

pytestmark = pytest.mark.django_db

HOME_SECTION = {
    "bridge": "bridge-home",
    "colleague": "bridge-home",
    "other_bridge": "bridge-home",
    "partner": "partner-home",
    "outsider": "partner-home",
    "school_coordinator": "school-home",
    "other_school_coordinator": "school-home",
    "network_coordinator": "coordinator-home",
    "administrator": "admin-home",
}
ALL_SECTIONS = set(HOME_SECTION.values())


@pytest.mark.parametrize("role", sorted(HOME_SECTION))
def test_home_shows_only_the_sections_of_the_role(client, world, role):
    client.force_login(world.everyone[role])
    html = client.get(reverse("home")).content.decode()
    shown = {section for section in ALL_SECTIONS if f'id="{section}"' in html}
    assert shown == {HOME_SECTION[role]}


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def shared_referral(world):
    """A referral about the child, sent and accepted, with register and refer consents active."""
    world.give("register")
    refer = world.give("refer", world.partner_org)
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="LEAKMARK-question about evening homework",
    )
    send_referral(referral, by=world.bridge)
    accept_referral(referral, by=world.partner)
    referral.refresh_from_db()
    referral.refer_consent = refer
    return referral


FAMILY_FILE_READERS = {"bridge", "colleague"}


@pytest.mark.parametrize("role", sorted(HOME_SECTION))
def test_family_file_answers_404_outside_the_holding_team(client, world, shared_referral, role):
    client.force_login(world.everyone[role])
    response = client.get(reverse("family_detail", args=[world.family.pk]))
    assert response.status_code == (200 if role in FAMILY_FILE_READERS else 404)
    if response.status_code == 404:
        assert b"Leaksma" not in response.content


def test_family_file_without_register_consent_is_404_for_the_team_too(client, world):
    client.force_login(world.bridge)
    assert client.get(reverse("family_detail", args=[world.family.pk])).status_code == 404


def test_family_file_read_is_logged_and_shown(client, world, shared_referral):
    client.force_login(world.colleague)
    client.get(reverse("family_detail", args=[world.family.pk]))
    log = AccessLog.objects.get(object_type="family", object_id=world.family.pk)
    assert (log.user, log.role, log.family_id, log.organisation_id) == (
        world.colleague,
        "bridge_figure",
        world.family.pk,
        world.team.pk,
    )
    client.force_login(world.bridge)
    html = client.get(reverse("family_detail", args=[world.family.pk])).content.decode()
    assert str(world.colleague) in html


REFERRAL_READERS = {"bridge": True, "colleague": True, "partner": True}


@pytest.mark.parametrize("role", sorted(HOME_SECTION))
def test_referral_detail_answers_404_outside_scope(client, world, shared_referral, role):
    client.force_login(world.everyone[role])
    response = client.get(reverse("referral_detail", args=[shared_referral.pk]))
    if role in REFERRAL_READERS:
        assert response.status_code == 200
        assert b"LEAKMARK-question" in response.content
    else:
        assert response.status_code == 404
        assert b"LEAKMARK" not in response.content


def test_partner_sees_status_but_no_content_after_withdrawal(client, world, shared_referral):
    withdraw_consent(consent=shared_referral.refer_consent, by=world.bridge, reason="family asked")
    client.force_login(world.partner)
    response = client.get(reverse("referral_detail", args=[shared_referral.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "LEAKMARK" not in html
    assert "Leaksma" not in html
    assert world.family.reference not in html
    log = AccessLog.objects.get(object_type="referral", user=world.partner)
    assert (log.role, log.organisation_id) == ("partner_worker", world.partner_org.pk)


def test_no_family_or_referral_data_in_the_django_admin(client, world):
    registered_apps = {model._meta.app_label for model in admin.site._registry}
    assert registered_apps.isdisjoint({"families", "referrals"})
    assert "accesslog" not in {model._meta.model_name for model in admin.site._registry}
    client.force_login(world.administrator)
    for path in ["/admin/families/family/", "/admin/families/consent/", "/admin/referrals/referral/"]:
        assert client.get(path).status_code == 404


def test_public_sign_up_is_closed(client):
    from village.models import User

    before = User.objects.count()
    client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.test",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert User.objects.count() == before


@override_settings(VILLAGE_REQUIRE_MFA=True)
@pytest.mark.parametrize(
    ("role", "redirected"),
    [("bridge", True), ("partner", True), ("school_coordinator", True), ("network_coordinator", False)],
)
def test_second_factor_required_for_roles_that_see_personal_data(client, world, role, redirected):
    client.force_login(world.everyone[role])
    response = client.get(reverse("home"))
    if redirected:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    else:
        assert response.status_code == 200


def test_language_switch_is_remembered_on_the_account(client, world):
    client.force_login(world.bridge)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    world.bridge.refresh_from_db()
    assert world.bridge.language == "fr"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html


def test_login_page_renders_in_dutch_by_default(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="nl' in html


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
