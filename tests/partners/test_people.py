"""People pages: the administrator and the network coordinator see who works where in which role,
invite someone (a new account with a set-password link, or a new membership for an existing one)
and switch memberships off; everyone else gets 404. No family data on any of it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import ConsentScope
from partners.models import Membership, Organisation, Role
from partners.people import deactivate_membership, invite_person, people_visible_to
from referrals.lifecycle import send_referral
from referrals.models import Referral
from village.models import User

from .. import factories as f

MANAGERS = ["network_coordinator", "administrator"]
OTHERS = [
    "bridge",
    "colleague",
    "other_bridge",
    "partner",
    "outsider",
    "school_coordinator",
    "other_school_coordinator",
]
NEW_PASSWORD = "a-long-unusual-passphrase-42"


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def logged_in(client, user) -> Client:
    client.force_login(english(user))
    return client


def invitation(organisation, role, *, email="nieuw@world.test", name="Nieuwe Collega", language="fr") -> dict:
    return {"email": email, "name": name, "organisation": organisation.pk, "role": role, "language": language}


@pytest.fixture
def leaky_memberships(world):
    """Memberships that must not be listed: switched off, of a switched-off account, of a closed
    organisation."""
    off = f.MembershipFactory(
        user=f.UserFactory(email="gestopt@world.test"), organisation=world.partner_org, active=False
    )
    gone = f.MembershipFactory(
        user=f.UserFactory(email="vertrokken@world.test", is_active=False), organisation=world.partner_org
    )
    closed_org = f.OrganisationFactory(name="Gesloten vzw", kind=Organisation.Kind.WELFARE, active=False)
    closed = f.MembershipFactory(user=f.UserFactory(email="gesloten@world.test"), organisation=closed_org)
    return [off, gone, closed]


# --- the rule: which role in which kind of organisation ----------------------------------------


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (Organisation.Kind.SCHOOL, Role.SCHOOL_COORDINATOR),
        (Organisation.Kind.BRIDGE_TEAM, Role.BRIDGE_FIGURE),
        (Organisation.Kind.MUNICIPALITY, Role.NETWORK_COORDINATOR),
        (Organisation.Kind.CLB, Role.PARTNER_WORKER),
        (Organisation.Kind.WELFARE, Role.PARTNER_WORKER),
        (Organisation.Kind.LEISURE_LEARNING, Role.PARTNER_WORKER),
        (Organisation.Kind.PUBLIC_SOCIAL_SERVICE, Role.PARTNER_WORKER),
        (Organisation.Kind.HUIS_VAN_HET_KIND, Role.PARTNER_WORKER),
        (Organisation.Kind.OTHER, Role.PARTNER_WORKER),
    ],
)
def test_role_allowed_for_each_kind_is_exactly_one_role(kind, role):
    assert Role.allowed_for(kind) == [role]


def test_membership_clean_refuses_a_role_the_organisation_kind_does_not_have(world):
    with pytest.raises(ValidationError) as refused:
        Membership(user=world.partner, organisation=world.school, role=Role.BRIDGE_FIGURE).full_clean()
    assert "role" in refused.value.message_dict
    Membership(user=world.partner, organisation=world.school, role=Role.SCHOOL_COORDINATOR).full_clean()


# --- who sees the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("who", MANAGERS)
def test_people_list_shows_exactly_the_active_memberships(client, world, leaky_memberships, who):
    response = logged_in(client, getattr(world, who)).get(reverse("people_list"))
    assert response.status_code == 200
    shown = {membership.pk for membership in response.context["page"]}
    assert shown == set(
        Membership.objects.filter(
            user__in=[
                world.bridge,
                world.colleague,
                world.other_bridge,
                world.partner,
                world.outsider,
                world.school_coordinator,
                world.other_school_coordinator,
                world.network_coordinator,
            ]
        ).values_list("pk", flat=True)
    )
    assert not shown & {membership.pk for membership in leaky_memberships}
    html = response.content.decode()
    assert world.partner.email in html
    assert "Partner worker" in html or "partner worker" in html
    # accounts only: nothing of the family the world holds
    for secret in (world.guardian.last_name, world.child.first_name, world.family.reference):
        assert secret not in html
    assert "/families/" not in html and "/referrals/" not in html


@pytest.mark.parametrize("who", MANAGERS)
def test_people_list_filters_by_organisation_and_name(client, world, who):
    client = logged_in(client, getattr(world, who))
    response = client.get(reverse("people_list"), {"organisation": world.team.pk})
    assert {m.user for m in response.context["page"]} == {world.bridge, world.colleague}
    response = client.get(reverse("people_list"), {"q": "zorg-anker"})
    assert {m.user for m in response.context["page"]} == {world.other_school_coordinator}


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_gets_404_and_changes_nothing(client, world, who, django_capture_on_commit_callbacks):
    client = logged_in(client, getattr(world, who))
    target = world.outsider.memberships.get() if who != "outsider" else world.partner.memberships.get()
    before = set(Membership.objects.values_list("pk", "active"))
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(reverse("people_list")),
            client.get(reverse("person_invite")),
            client.post(reverse("person_invite"), invitation(world.partner_org, Role.PARTNER_WORKER)),
            client.get(reverse("membership_deactivate", args=[target.pk])),
            client.post(reverse("membership_deactivate", args=[target.pk])),
        ]
    assert [response.status_code for response in responses] == [404] * 5
    assert set(Membership.objects.values_list("pk", "active")) == before
    assert User.objects.count() == users_before
    assert mail.outbox == []
    assert list(people_visible_to(getattr(world, who))) == []


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(reverse("people_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_switched_off_coordinator_gets_404(client, world):
    Membership.objects.filter(user=world.network_coordinator).update(active=False)
    assert logged_in(client, world.network_coordinator).get(reverse("people_list")).status_code == 404


def test_actions_refuse_anyone_but_the_managers(world):
    with pytest.raises(PermissionDenied):
        invite_person(
            email="x@world.test",
            name="X",
            organisation=world.partner_org,
            role=Role.PARTNER_WORKER,
            language="nl",
            by=world.bridge,
        )
    with pytest.raises(PermissionDenied):
        deactivate_membership(membership=world.outsider.memberships.get(), by=world.partner)
    assert not User.objects.filter(email="x@world.test").exists()
    assert world.outsider.memberships.get().active


@pytest.mark.parametrize(
    ("who", "anchor"), [("network_coordinator", "coordinator"), ("administrator", "admin")]
)
def test_home_links_managers_to_the_people_page(client, world, who, anchor):
    html = logged_in(client, getattr(world, who)).get(reverse("home")).content.decode()
    assert f'id="{anchor}-people-link"' in html
    assert f'href="{reverse("people_list")}"' in html


def test_home_of_a_bridge_figure_has_no_people_link(client, world):
    html = logged_in(client, world.bridge).get(reverse("home")).content.decode()
    assert reverse("people_list") not in html


def test_people_list_query_count_does_not_grow_with_rows(client, world):
    client = logged_in(client, world.administrator)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people_list"))
    for number in range(50):
        f.MembershipFactory(
            user=f.UserFactory(email=f"extra{number}@world.test"), organisation=world.partner_org
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("people_list"))
    assert len(response.context["page"]) == 50
    assert len(many) == len(few)


# --- inviting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "role"),
    [
        ("school", Role.BRIDGE_FIGURE),
        ("team", Role.SCHOOL_COORDINATOR),
        ("partner_org", Role.NETWORK_COORDINATOR),
        ("municipality", Role.PARTNER_WORKER),
    ],
)
def test_invite_refuses_a_role_that_does_not_fit_the_organisation(
    client, world, organisation, role, django_capture_on_commit_callbacks
):
    client = logged_in(client, world.network_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("person_invite"), invitation(getattr(world, organisation), role))
    assert response.status_code == 200
    assert "is not a role in" in " ".join(response.context["form"].errors["role"])
    assert not User.objects.filter(email="nieuw@world.test").exists()
    assert mail.outbox == []


def test_invite_action_refuses_a_mismatch_on_its_own(world):
    with pytest.raises(ValidationError) as refused:
        invite_person(
            email="nieuw@world.test",
            name="N",
            organisation=world.school,
            role=Role.BRIDGE_FIGURE,
            language="nl",
            by=world.administrator,
        )
    assert "role" in refused.value.message_dict
    assert not User.objects.filter(email="nieuw@world.test").exists()


def test_invite_form_from_an_organisation_offers_only_its_role(client, world):
    response = logged_in(client, world.administrator).get(
        reverse("person_invite"), {"organisation": world.school.pk}
    )
    form = response.context["form"]
    assert [value for value, _label in form.fields["role"].choices] == [Role.SCHOOL_COORDINATOR]
    assert form.fields["organisation"].initial == world.school.pk


@pytest.mark.parametrize("who", MANAGERS)
def test_invite_new_person_creates_account_and_sends_a_working_set_password_link(
    client, world, who, django_capture_on_commit_callbacks
):
    manager = getattr(world, who)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, manager).post(
            reverse("person_invite"),
            invitation(world.partner_org, Role.PARTNER_WORKER, email="Nieuw@World.test"),
        )
    assert response.status_code == 302
    assert response.url == reverse("people_list")

    person = User.objects.get(email="nieuw@world.test")
    assert not person.has_usable_password()
    assert (person.full_name, person.language, person.is_active, person.is_staff) == (
        "Nieuwe Collega",
        "fr",
        True,
        False,
    )
    assert list(Membership.objects.filter(user=person).values_list("organisation", "role", "active")) == [
        (world.partner_org.pk, Role.PARTNER_WORKER, True)
    ]
    assert LogEntry.objects.filter(
        user=manager, object_id=str(person.memberships.get().pk), action_flag=ADDITION
    ).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@world.test"]
    html = message.alternatives[0][0]
    assert '<html lang="fr">' in html  # rendered in the invitee's language
    for body in (message.body, html):
        for secret in (world.guardian.last_name, world.child.first_name, world.family.reference):
            assert secret not in body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    assert link in html

    # The invitee follows the link in a fresh browser, chooses a password and logs in.
    visitor = Client()
    path = urlsplit(link).path
    response = visitor.get(path, follow=True)
    assert response.status_code == 200
    assert not response.context.get("token_fail")
    form_url = response.redirect_chain[-1][0]
    response = visitor.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    response = Client().post(
        reverse("account_login"), {"login": "nieuw@world.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    # The link is single use: it dies with the password it set.
    assert Client().get(path, follow=True).context["token_fail"]


def test_invite_email_follows_the_invitees_language(world, django_capture_on_commit_callbacks):
    for language in ("nl", "en"):
        with django_capture_on_commit_callbacks(execute=True):
            invite_person(
                email=f"{language}@world.test",
                name="Taal Test",
                organisation=world.partner_org,
                role=Role.PARTNER_WORKER,
                language=language,
                by=world.administrator,
            )
    assert [
        message.alternatives[0][0].count(f'<html lang="{language}">')
        for message, language in zip(mail.outbox, ("nl", "en"), strict=True)
    ] == [1, 1]
    assert "You are invited to Village" in mail.outbox[1].body


def test_invite_new_person_needs_a_name(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, world.administrator).post(
            reverse("person_invite"), invitation(world.partner_org, Role.PARTNER_WORKER, name="")
        )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not User.objects.filter(email="nieuw@world.test").exists()
    assert mail.outbox == []


def test_invite_existing_person_adds_the_membership_without_a_second_account(
    client, world, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    password_before = world.partner.password
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, world.network_coordinator).post(
            reverse("person_invite"),
            invitation(
                world.outsider_org, Role.PARTNER_WORKER, email="PARTNER@world.test", name="Someone Else"
            ),
        )
    assert response.status_code == 302
    assert User.objects.count() == users_before
    world.partner.refresh_from_db()
    assert world.partner.password == password_before  # their account is untouched
    assert set(Membership.objects.filter(user=world.partner).values_list("organisation", "active")) == {
        (world.partner_org.pk, True),
        (world.outsider_org.pk, True),
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.partner.email]
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body
    assert reverse("account_login") in mail.outbox[0].body


def test_invite_duplicate_membership_is_a_form_error(client, world, django_capture_on_commit_callbacks):
    before = Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, world.administrator).post(
            reverse("person_invite"),
            invitation(world.partner_org, Role.PARTNER_WORKER, email=world.partner.email),
        )
    assert response.status_code == 200
    assert "already works in Huiswerkklas De Brug as partner worker" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert Membership.objects.count() == before
    assert mail.outbox == []


def test_invite_switched_off_account_is_refused(client, world):
    User.objects.filter(pk=world.outsider.pk).update(is_active=False)
    response = logged_in(client, world.administrator).post(
        reverse("person_invite"),
        invitation(world.partner_org, Role.PARTNER_WORKER, email=world.outsider.email),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Membership.objects.filter(user=world.outsider, organisation=world.partner_org).exists()


def test_invite_after_switching_off_switches_the_same_membership_on(
    world, django_capture_on_commit_callbacks
):
    membership = world.partner.memberships.get()
    deactivate_membership(membership=membership, by=world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        again = invite_person(
            email=world.partner.email,
            name="",
            organisation=world.partner_org,
            role=Role.PARTNER_WORKER,
            language="nl",
            by=world.network_coordinator,
        )
    assert again.pk == membership.pk
    assert Membership.objects.get(pk=membership.pk).active
    assert len(mail.outbox) == 1


# --- switching a membership off ------------------------------------------------------------------


@pytest.fixture
def partner_referral(world) -> Referral:
    world.give("register")
    world.give(ConsentScope.REFER, world.partner_org)
    referral = f.ReferralFactory(
        family=world.family, created_by=world.bridge, receiving_organisation=world.partner_org
    )
    return send_referral(referral, by=world.bridge)


@pytest.mark.parametrize("who", MANAGERS)
def test_deactivate_takes_access_away_at_once_and_keeps_the_account(client, world, partner_referral, who):
    manager = getattr(world, who)
    membership = world.partner.memberships.get()
    partner_client = logged_in(Client(), world.partner)
    assert set(Referral.objects.visible_to(world.partner)) == {partner_referral}
    assert partner_client.get(reverse("partner_inbox")).status_code == 200

    client = logged_in(client, manager)
    confirm = client.get(reverse("membership_deactivate", args=[membership.pk]))
    assert confirm.status_code == 200
    assert Membership.objects.get(pk=membership.pk).active  # a GET only asks
    response = client.post(reverse("membership_deactivate", args=[membership.pk]))
    assert response.status_code == 302

    membership.refresh_from_db()
    world.partner.refresh_from_db()
    assert membership.active is False
    assert world.partner.is_active and User.objects.filter(pk=world.partner.pk).exists()
    assert set(Referral.objects.visible_to(world.partner)) == set()
    assert partner_client.get(reverse("partner_inbox")).status_code == 404  # same session, next request
    assert LogEntry.objects.filter(user=manager, object_id=str(membership.pk), action_flag=CHANGE).exists()
    # gone from the list, and cannot be switched off twice
    assert membership not in list(client.get(reverse("people_list")).context["page"])
    assert client.post(reverse("membership_deactivate", args=[membership.pk])).status_code == 404


def test_coordinator_cannot_switch_off_their_own_membership(client, world):
    membership = world.network_coordinator.memberships.get()
    response = logged_in(client, world.network_coordinator).post(
        reverse("membership_deactivate", args=[membership.pk])
    )
    assert response.status_code == 200
    assert "your own membership" in response.context["error"]
    assert Membership.objects.get(pk=membership.pk).active
