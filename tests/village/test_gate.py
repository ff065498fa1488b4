"""The one door (village/gate.py): every sensitive category is registered, `may_see` answers
exactly what the scoped queryset holds, and it fails closed: unknown categories, anonymous
visitors, inactive accounts and inactive memberships get nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from families.actions import withdraw_consent
from families.models import ConsentScope, Family
from referrals.lifecycle import accept_referral, send_referral
from tests import factories as f
from village import gate

REFER, REGISTER, INFORM_SCHOOL = ConsentScope.REFER, ConsentScope.REGISTER, ConsentScope.INFORM_SCHOOL

# DESIGN.md §5: the family file (and its identity), guardians, children, consents, contact
# moments, referral status, content and events, school requests and school notices.
CATEGORIES = [
    "child",
    "consent",
    "contact_moment",
    "family_file",
    "family_identity",
    "guardian",
    "referral_content",
    "referral_event",
    "referral_status",
    "school_notice",
    "school_request",
]

ROLES = [
    "bridge",
    "colleague",
    "other_bridge",
    "partner",
    "outsider",
    "school_coordinator",
    "other_school_coordinator",
    "network_coordinator",
    "administrator",
]
MEMBER_ROLES = [role for role in ROLES if role != "administrator"]


@pytest.fixture
def everything(world):
    """Every category holds something someone may see: an open file shared with partner_org and
    the school, a referral picked up (with its notice), a draft, a school request, the logbook,
    and the other team's family."""
    world.give(REGISTER)
    world.give(REGISTER, child=world.teen)
    world.give(REFER, world.partner_org)
    world.give(INFORM_SCHOOL, world.school)
    f.ContactMomentFactory(team=world.team, bridge_figure=world.bridge, family=world.family, note="debts")
    f.ContactMomentFactory(team=world.team, bridge_figure=world.colleague)
    f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    f.SchoolRequestFactory(school=world.other_school, created_by=world.other_school_coordinator)
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        receiving_organisation=world.partner_org,
        created_by=world.bridge,
    )
    accept_referral(send_referral(referral, by=world.bridge), by=world.partner, note="first talk on Friday")
    f.ReferralFactory(family=world.family, receiving_organisation=world.partner_org, created_by=world.bridge)
    other_family = f.FamilyFactory(holding_team=world.other_team)
    f.GuardianFactory(family=other_family)
    f.ChildFactory(family=other_family, school=world.other_school)
    world.give(REGISTER, family=other_family)
    f.ContactMomentFactory(team=world.other_team, bridge_figure=world.other_bridge, family=other_family)
    return referral


def every_object(category: str, user) -> list:
    model = gate.scoped(user, category).model
    return list(model._default_manager.all())


def visible_anything(user) -> dict[str, set[int]]:
    return {
        category: set(gate.scoped(user, category).values_list("pk", flat=True)) for category in CATEGORIES
    }


NOTHING = {category: set() for category in CATEGORIES}


def test_gate_registers_exactly_the_sensitive_categories():
    assert gate.categories() == CATEGORIES


def test_may_see_agrees_with_scoped_queryset(world, everything):
    for category in CATEGORIES:
        objects = every_object(category, world.bridge)
        seen_by = {}
        for role in ROLES:
            user = world.everyone[role]
            seen_by[role] = set(gate.scoped(user, category).values_list("pk", flat=True))
            assert {obj.pk for obj in objects if gate.may_see(user, category, obj)} == seen_by[role], (
                category,
                role,
            )
        # The comparison only means something if someone sees an object and someone does not.
        assert set().union(*seen_by.values()), category
        assert any({obj.pk for obj in objects} - pks for pks in seen_by.values()), category


def test_unknown_category_raises(world, everything):
    with pytest.raises(LookupError):
        gate.scoped(world.bridge, "families")
    with pytest.raises(LookupError):
        gate.may_see(world.bridge, "family", world.family)


def test_registering_a_category_twice_is_refused():
    with pytest.raises(RuntimeError):
        gate.register("family_file", lambda user: Family.objects.all())
    assert gate.categories() == CATEGORIES


def test_anonymous_user_sees_nothing(world, everything):
    visitor = AnonymousUser()
    assert visible_anything(visitor) == NOTHING
    for category in CATEGORIES:
        assert not any(
            gate.may_see(visitor, category, obj) for obj in every_object(category, world.bridge)
        ), category


def test_may_see_refuses_missing_or_unsaved_object(world, everything):
    assert gate.may_see(world.bridge, "family_file", world.family)
    assert not gate.may_see(world.bridge, "family_file", None)
    assert not gate.may_see(world.bridge, "family_file", Family(holding_team=world.team))


# What each role sees in `everything` while active, by category (network coordinator and
# administrator see nothing in any case; that is asserted below).
FILE = ["child", "consent", "contact_moment", "family_file", "family_identity", "guardian"]
SEES_SOMETHING = {
    "bridge": [*FILE, "referral_content", "referral_event", "referral_status", "school_request"],
    "colleague": [*FILE, "referral_content", "referral_event", "referral_status", "school_request"],
    "other_bridge": [*FILE, "school_request"],
    "partner": [
        "child",
        "family_identity",
        "guardian",
        "referral_content",
        "referral_event",
        "referral_status",
    ],
    "outsider": [],
    "school_coordinator": ["school_notice", "school_request"],
    "other_school_coordinator": ["school_request"],
    "network_coordinator": [],
    "administrator": [],
}


def test_active_roles_see_their_categories(world, everything):
    """The baseline for the two tests below: before being switched off, each role sees these."""
    for role in ROLES:
        visible = visible_anything(world.everyone[role])
        assert sorted(category for category, pks in visible.items() if pks) == sorted(SEES_SOMETHING[role]), (
            role
        )


def test_inactive_user_sees_nothing(world, everything):
    for role in ROLES:
        user = world.everyone[role]
        user.is_active = False
        user.save(update_fields=["is_active"])

        assert visible_anything(user) == NOTHING, role
        assert not gate.may_see(user, "referral_status", everything), role


def test_inactive_membership_sees_nothing(world, everything):
    for role in MEMBER_ROLES:
        user = world.everyone[role]
        assert user.memberships.update(active=False) == 1

        assert visible_anything(user) == NOTHING, role
        assert not gate.may_see(user, "referral_status", everything), role


def test_administrator_and_network_coordinator_see_nothing(world, everything):
    assert world.administrator.is_superuser
    assert visible_anything(world.administrator) == NOTHING
    assert visible_anything(world.network_coordinator) == NOTHING


def test_may_see_reads_consent_at_the_moment_of_asking(world, everything):
    refer = world.family.consents.get(scope=REFER)
    assert gate.may_see(world.partner, "referral_content", everything)

    withdraw_consent(consent=refer, by=world.bridge)

    assert not gate.may_see(world.partner, "referral_content", everything)
    assert gate.may_see(world.partner, "referral_status", everything)
    assert gate.may_see(world.bridge, "referral_content", everything)
