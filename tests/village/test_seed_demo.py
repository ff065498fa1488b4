"""`manage.py seed_demo`: the demo network of DESIGN.md §12, built once for this module."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from families.models import Child, Consent, ContactMoment, Family
from partners.models import Coverage, Membership, Offer, Organisation, Role
from referrals.models import Referral, ReferralEvent, SchoolNotice, SchoolRequest, Status
from tests.conftest import ensure_need_domains
from tests.reflection.factories import ensure_frameworks
from village.models import User

pytestmark = pytest.mark.django_db

DEFAULT_PASSWORD = "village-demo"
LOGINS = {
    "bridge@demo.village": Role.BRIDGE_FIGURE,
    "partner@demo.village": Role.PARTNER_WORKER,
    "school@demo.village": Role.SCHOOL_COORDINATOR,
    "coordinator@demo.village": Role.NETWORK_COORDINATOR,
}
COUNTED = [
    Organisation,
    Offer,
    Family,
    Child,
    Consent,
    Referral,
    ReferralEvent,
    SchoolRequest,
    SchoolNotice,
    ContactMoment,
    User,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network with 12 families, rolled back after this module (like setUpTestData)."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as env,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        env.delenv("DEMO_PASSWORD", raising=False)
        ensure_need_domains()  # a transactional test before this one may have flushed them
        ensure_frameworks()
        output = StringIO()
        call_command("seed_demo", "--families", "12", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def user(email: str) -> User:
    return User.objects.get(email=email)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_demo_logins_authenticate_with_the_default_password(demo):
    for email in [*LOGINS, "admin@demo.village"]:
        assert authenticate(username=email, password=DEFAULT_PASSWORD) == user(email)
    assert f"password: {DEFAULT_PASSWORD}" in demo


def test_seed_demo_logins_have_their_roles(demo):
    for email, role in LOGINS.items():
        assert set(Membership.objects.filter(user__email=email).values_list("role", flat=True)) == {role}
    admin = user("admin@demo.village")
    assert admin.is_staff and admin.is_superuser
    assert not admin.memberships.exists()
    assert all(u.full_name and u.language == "nl" for u in User.objects.all())


def test_seed_demo_bridge_figure_covers_the_demo_school(demo):
    bridge_team = Membership.objects.get(user__email="bridge@demo.village").organisation
    school = Membership.objects.get(user__email="school@demo.village").organisation
    covered = set(
        Coverage.objects.filter(bridge_figure__user__email="bridge@demo.village").values_list(
            "school", flat=True
        )
    )
    assert bridge_team.kind == Organisation.Kind.BRIDGE_TEAM
    assert school.kind == Organisation.Kind.SCHOOL
    assert len(covered) > 1 and school.pk in covered


def test_seed_demo_has_referrals_in_every_status(demo):
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status.values)


def test_seed_demo_has_school_requests_in_every_status(demo):
    assert set(SchoolRequest.objects.values_list("status", flat=True)) == set(SchoolRequest.Status.values)


def test_seed_demo_has_anonymous_contact_moments(demo):
    assert ContactMoment.objects.filter(family__isnull=True).exists()
    assert ContactMoment.objects.filter(family__isnull=False).exists()


def test_seed_demo_run_again_changes_no_count(demo):
    before = counts()
    for families in ("12", "30"):
        output = StringIO()
        call_command("seed_demo", "--families", families, stdout=output)
        assert "already exists" in output.getvalue()
        assert counts() == before


def test_seed_demo_family_files_are_seen_by_the_holding_bridge_team_only(demo):
    bridge_team = Membership.objects.get(user__email="bridge@demo.village").organisation
    held = set(Family.objects.filter(holding_team=bridge_team, anonymised_at__isnull=True))
    assert held
    assert Family.objects.exclude(holding_team=bridge_team).exists()  # files that could leak
    assert set(Family.objects.visible_to(user("bridge@demo.village"))) == held
    for email in ("school@demo.village", "coordinator@demo.village", "admin@demo.village"):
        assert list(Family.objects.visible_to(user(email))) == []


def test_seed_demo_partner_and_school_have_something_to_see(demo):
    partner_org = Membership.objects.get(user__email="partner@demo.village").organisation
    received = Referral.objects.visible_to(user("partner@demo.village"))
    assert received.exists()
    assert set(received.values_list("receiving_organisation", flat=True)) == {partner_org.pk}
    assert SchoolNotice.objects.visible_to(user("school@demo.village")).exists()


def test_seed_demo_has_a_reflection_round_with_answers_and_signals(demo):
    from reflection.models import ActionPoint, Response, Round, Signal

    closed = Round.objects.filter(closed_at__isnull=False)
    assert closed.count() == 2
    assert Round.objects.filter(closed_at__isnull=True).count() == 1
    assert Response.objects.filter(round__in=closed).exists()
    assert ActionPoint.objects.exists()
    assert set(Signal.objects.values_list("status", flat=True)) >= {"new", "taken_up", "resolved"}
