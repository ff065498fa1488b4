"""Who sees a family's file, its guardians and children, its consents and the logbook (DESIGN.md §5).

Every test builds data that could leak (a second family held by the other bridge team and shared
with the outsider organisation) and asserts, per role, the exact visible set in each consent
state. The expected tables are written out by hand from §5; they are not derived from the code
under test. A role not named in a table sees nothing.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from families.actions import anonymise_family, withdraw_consent
from families.models import Child, Consent, ConsentScope, ContactMoment, Family, Guardian
from tests import factories as f
from tests.conftest import CONSENT_STATES
from tests.visibility_table import ROLES, row, rows, seen


def family_data_seen_by(user, things: dict) -> dict[str, set[str]]:
    return {
        "family_file": seen(Family.objects.visible_to(user), things),
        "identity": seen(Family.objects.identity_visible_to(user), things),
        "guardian": seen(Guardian.objects.visible_to(user), things),
        "child": seen(Child.objects.visible_to(user), things),
        "consent": seen(Consent.objects.visible_to(user), things),
    }


def in_each_state(give, look) -> dict[str, object]:
    """For each of CONSENT_STATES in turn: `give(state)`, then `look()`, inside a savepoint that is
    rolled back, so every state starts from the same world."""
    result = {}
    for state in CONSENT_STATES:
        with transaction.atomic():
            give(state)
            result[state] = look()
            transaction.set_rollback(True)
    return result


def every_role_in_every_state(world, give, look) -> dict[str, dict[str, object]]:
    """{role: {state: look(user)}}, each consent state given in turn by `give(state)`."""
    by_state = in_each_state(give, lambda: {role: look(user) for role, user in world.everyone.items()})
    return {role: {state: by_state[state][role] for state in CONSENT_STATES} for role in world.everyone}


@pytest.fixture(scope="module")
def _seen_in_scenarios() -> dict:
    return {}


@pytest.fixture
def once(request, _seen_in_scenarios):
    """`once(scenario)`: what every role sees in `scenario(world, things)`, computed by the first
    test that asks (in its own transaction, from its own named world) and reused by the tests of
    the other roles. The results are plain names, so each role's test still asserts exact sets;
    building the same world nine times over would only cost time. Any test can compute it alone,
    so the order in which tests run does not matter."""

    def run(scenario):
        if scenario.__name__ not in _seen_in_scenarios:
            world, things = request.getfixturevalue("world"), request.getfixturevalue("things")
            _seen_in_scenarios[scenario.__name__] = scenario(world, things)
        return _seen_in_scenarios[scenario.__name__]

    return run


def expected_row(table: dict, role: str) -> dict[str, dict[str, set[str]]]:
    """The role's row of `table` ({category: {role: {state: names}}}), by state."""
    return {
        state: {category: by_role[role][state] for category, by_role in table.items()}
        for state in CONSENT_STATES
    }


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def things(world) -> dict:
    """world's family, and a second family held by the other team, registered there and shared
    (family-wide) with the outsider organisation: the data that could leak."""
    other_family = f.FamilyFactory(holding_team=world.other_team, primary_bridge_figure=world.other_bridge)
    other_guardian = f.GuardianFactory(family=other_family, first_name="Omar", last_name="Elders")
    other_child = f.ChildFactory(
        family=other_family, first_name="Lina", last_name="Elders", school=world.other_school
    )
    return {
        "family": world.family,
        "guardian": world.guardian,
        "child": world.child,
        "teen": world.teen,
        "other_family": other_family,
        "other_guardian": other_guardian,
        "other_child": other_child,
        "other_register": world.give(ConsentScope.REGISTER, family=other_family),
        "other_refer": world.give(ConsentScope.REFER, world.outsider_org, family=other_family),
    }


def test_roles_cover_the_named_world(world):
    assert set(ROLES) == set(world.everyone)


# --------------------------------------------------------------------------- register consent

# The family-wide `register` consent of world.family is in the parametrised state.
WITH_REGISTER = {
    "family_file": rows(
        bridge=row(active={"family"}),
        colleague=row(active={"family"}),
        other_bridge=row({"other_family"}),
    ),
    "identity": rows(
        bridge=row(active={"family"}),
        colleague=row(active={"family"}),
        other_bridge=row({"other_family"}),
        outsider=row({"other_family"}),
    ),
    "guardian": rows(
        bridge=row(active={"guardian"}),
        colleague=row(active={"guardian"}),
        other_bridge=row({"other_guardian"}),
        outsider=row({"other_guardian"}),
    ),
    # The teen (14) is never covered by a family-wide consent.
    "child": rows(
        bridge=row(active={"child"}),
        colleague=row(active={"child"}),
        other_bridge=row({"other_child"}),
        outsider=row({"other_child"}),
    ),
    # Consent records in every state, to the holding team only ("other_organisation" gives no
    # register consent: it can only name the holding team).
    "consent": rows(
        bridge=row(active={"register"}, expired={"register"}, withdrawn={"register"}),
        colleague=row(active={"register"}, expired={"register"}, withdrawn={"register"}),
        other_bridge=row({"other_register", "other_refer"}),
    ),
}


def register_in_each_state(world, things):
    def give(state):
        things["register"] = world.give(ConsentScope.REGISTER, state=state)

    return every_role_in_every_state(world, give, lambda user: family_data_seen_by(user, things))


@pytest.mark.parametrize("role", ROLES)
def test_family_data_visible_with_register_consent(once, role):
    assert once(register_in_each_state)[role] == expected_row(WITH_REGISTER, role)


# --------------------------------------------------------------------------- refer consent

# world.family's file is open (active family-wide register); its family-wide `refer` consent for
# partner_org is in the parametrised state ("other_organisation": given to outsider_org instead).
WITH_REFER = {
    "family_file": rows(
        bridge=row({"family"}),
        colleague=row({"family"}),
        other_bridge=row({"other_family"}),
    ),
    "identity": rows(
        bridge=row({"family"}),
        colleague=row({"family"}),
        other_bridge=row({"other_family"}),
        partner=row(active={"family"}),
        outsider=row({"other_family"}, other_organisation={"family", "other_family"}),
    ),
    "guardian": rows(
        bridge=row({"guardian"}),
        colleague=row({"guardian"}),
        other_bridge=row({"other_guardian"}),
        partner=row(active={"guardian"}),
        outsider=row({"other_guardian"}, other_organisation={"guardian", "other_guardian"}),
    ),
    "child": rows(
        bridge=row({"child"}),
        colleague=row({"child"}),
        other_bridge=row({"other_child"}),
        partner=row(active={"child"}),
        outsider=row({"other_child"}, other_organisation={"child", "other_child"}),
    ),
    # Never to the partner: consent records stay with the holding team.
    "consent": rows(
        bridge=row({"register", "refer"}, none={"register"}),
        colleague=row({"register", "refer"}, none={"register"}),
        other_bridge=row({"other_register", "other_refer"}),
    ),
}


def refer_in_each_state(world, things):
    things["register"] = world.give(ConsentScope.REGISTER)

    def give(state):
        things["refer"] = world.give(ConsentScope.REFER, world.partner_org, state=state)

    return every_role_in_every_state(world, give, lambda user: family_data_seen_by(user, things))


@pytest.mark.parametrize("role", ROLES)
def test_family_data_visible_with_refer_consent(once, role):
    assert once(refer_in_each_state)[role] == expected_row(WITH_REFER, role)


# --------------------------------------------------------------------------- the 12+ rule

# Family-wide register and refer (partner_org) consents are active; they cover the child (8) but
# not the teen (14). The teen's own consents (register; refer for partner_org), given with the
# young person's agreement, are in the parametrised state.
WITH_TEEN_CONSENTS = {
    "family_file": rows(
        bridge=row({"family"}),
        colleague=row({"family"}),
        other_bridge=row({"other_family"}),
    ),
    "identity": rows(
        bridge=row({"family"}),
        colleague=row({"family"}),
        other_bridge=row({"other_family"}),
        partner=row({"family"}),
        outsider=row({"other_family"}, other_organisation={"family", "other_family"}),
    ),
    # A consent for the teen alone never opens the guardians.
    "guardian": rows(
        bridge=row({"guardian"}),
        colleague=row({"guardian"}),
        other_bridge=row({"other_guardian"}),
        partner=row({"guardian"}),
        outsider=row({"other_guardian"}),
    ),
    "child": rows(
        bridge=row({"child"}, active={"child", "teen"}),
        colleague=row({"child"}, active={"child", "teen"}),
        other_bridge=row({"other_child"}),
        partner=row({"child"}, active={"child", "teen"}),
        outsider=row({"other_child"}, other_organisation={"teen", "other_child"}),
    ),
    "consent": rows(
        bridge=row(
            {"register", "refer", "teen_register", "teen_refer"},
            none={"register", "refer"},
            other_organisation={"register", "refer", "teen_refer"},
        ),
        colleague=row(
            {"register", "refer", "teen_register", "teen_refer"},
            none={"register", "refer"},
            other_organisation={"register", "refer", "teen_refer"},
        ),
        other_bridge=row({"other_register", "other_refer"}),
    ),
}


def teen_consents_in_each_state(world, things):
    things["register"] = world.give(ConsentScope.REGISTER)
    things["refer"] = world.give(ConsentScope.REFER, world.partner_org)

    def give(state):
        things["teen_register"] = world.give(ConsentScope.REGISTER, child=world.teen, state=state)
        things["teen_refer"] = world.give(
            ConsentScope.REFER, world.partner_org, child=world.teen, state=state
        )

    return every_role_in_every_state(world, give, lambda user: family_data_seen_by(user, things))


@pytest.mark.parametrize("role", ROLES)
def test_teen_visible_only_with_own_consent(once, role):
    assert once(teen_consents_in_each_state)[role] == expected_row(WITH_TEEN_CONSENTS, role)


def test_teen_consent_without_young_persons_agreement_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        f.ConsentFactory(
            family=world.family,
            child=world.teen,
            scope=ConsentScope.REFER,
            recipient=world.partner_org,
            recorded_by=world.bridge,
            young_person_agreed=False,
        )
    assert set(refused.value.message_dict) == {"young_person_agreed"}
    assert set(Child.objects.visible_to(world.partner)) == set()


def test_family_wide_consent_stops_covering_on_twelfth_birthday(world):
    """On the day a child turns twelve, what the family agreed for them no longer covers them;
    only a consent the young person agreed to does. Earlier that same consent covered them."""
    today = timezone.localdate()
    birthday = today + datetime.timedelta(days=10)
    almost = f.ChildFactory(
        family=world.family,
        first_name="Iris",
        birth_year=birthday.year - 12,
        birth_date=datetime.date(birthday.year - 12, birthday.month, min(birthday.day, 28)),
        school=world.school,
    )
    birthday = almost.turns_twelve_on
    valid_until = birthday + datetime.timedelta(days=60)

    def consent(scope, recipient, **kwargs):
        return f.ConsentFactory(
            family=world.family,
            scope=scope,
            recipient=recipient,
            recorded_by=world.bridge,
            expires_on=valid_until,
            **kwargs,
        )

    consent(ConsentScope.REGISTER, world.team)
    consent(ConsentScope.REGISTER, world.team, child=almost, young_person_agreed=True)  # she agreed herself
    consent(ConsentScope.REFER, world.partner_org)  # family-wide
    consent(ConsentScope.REFER, world.outsider_org, child=almost)  # her parent, for her, without her

    def who_sees_her() -> set[str]:
        return {
            role
            for role, user in world.everyone.items()
            if Child.objects.visible_to(user).filter(pk=almost.pk).exists()
        }

    with time_machine.travel(at_noon(birthday - datetime.timedelta(days=1)), tick=False):
        assert who_sees_her() == {"bridge", "colleague", "partner", "outsider"}
    with time_machine.travel(at_noon(birthday), tick=False):
        assert who_sees_her() == {"bridge", "colleague"}
        assert set(Child.objects.visible_to(world.partner)) == {world.child}
        assert set(Child.objects.visible_to(world.outsider)) == set()


# --------------------------------------------------------------------------- cut at once


def test_register_expiry_closes_file_at_once(world, things):
    last_day = timezone.localdate() + datetime.timedelta(days=5)
    things["register"] = f.ConsentFactory(
        family=world.family, scope=ConsentScope.REGISTER, recipient=world.team, expires_on=last_day
    )
    open_file = {
        "family_file": {"family"},
        "identity": {"family"},
        "guardian": {"guardian"},
        "child": {"child"},
        "consent": {"register"},
    }
    assert family_data_seen_by(world.bridge, things) == open_file
    with time_machine.travel(at_noon(last_day), tick=False):
        assert family_data_seen_by(world.bridge, things) == open_file
    with time_machine.travel(at_noon(last_day + datetime.timedelta(days=1)), tick=False):
        # The expired record stays listed for the team, so it can be renewed with the family.
        assert family_data_seen_by(world.bridge, things) == {
            "family_file": set(),
            "identity": set(),
            "guardian": set(),
            "child": set(),
            "consent": {"register"},
        }


def test_register_withdrawal_closes_file_at_once(world, things):
    register = world.give(ConsentScope.REGISTER)
    moment = f.ContactMomentFactory(
        team=world.team, bridge_figure=world.bridge, family=world.family, note="rent arrears"
    )
    things.update(register=register, moment=moment)
    assert family_data_seen_by(world.bridge, things)["family_file"] == {"family"}
    assert seen(ContactMoment.objects.visible_to(world.bridge), things) == {"moment"}

    withdraw_consent(consent=register, by=world.bridge, reason="moved away")

    for user in (world.bridge, world.colleague):
        assert family_data_seen_by(user, things) == {
            "family_file": set(),
            "identity": set(),
            "guardian": set(),
            "child": set(),
            "consent": set(),
        }
        assert seen(ContactMoment.objects.visible_to(user), things) == set()


def test_refer_withdrawal_cuts_partner_at_once(world, things):
    world.give(ConsentScope.REGISTER)
    refer = world.give(ConsentScope.REFER, world.partner_org)
    partner_view = {
        "family_file": set(),
        "identity": {"family"},
        "guardian": {"guardian"},
        "child": {"child"},
        "consent": set(),
    }
    assert family_data_seen_by(world.partner, things) == partner_view

    withdraw_consent(consent=refer, by=world.bridge)

    assert family_data_seen_by(world.partner, things) == {key: set() for key in partner_view}
    assert family_data_seen_by(world.bridge, things)["guardian"] == {"guardian"}


def test_refer_expiry_cuts_partner_at_once(world, things):
    last_day = timezone.localdate() + datetime.timedelta(days=3)
    f.ConsentFactory(
        family=world.family,
        scope=ConsentScope.REFER,
        recipient=world.partner_org,
        expires_on=last_day,
        recorded_by=world.bridge,
    )
    assert seen(Child.objects.visible_to(world.partner), things) == {"child"}
    with time_machine.travel(at_noon(last_day), tick=False):
        assert seen(Guardian.objects.visible_to(world.partner), things) == {"guardian"}
    with time_machine.travel(at_noon(last_day + datetime.timedelta(days=1)), tick=False):
        assert seen(Family.objects.identity_visible_to(world.partner), things) == set()
        assert seen(Guardian.objects.visible_to(world.partner), things) == set()
        assert seen(Child.objects.visible_to(world.partner), things) == set()


# --------------------------------------------------------------------------- contact moments

# The family-wide register consent of world.family is in the parametrised state.
MOMENTS = rows(
    bridge=row(
        {"anonymous", "colleagues_anonymous"}, active={"anonymous", "colleagues_anonymous", "about_family"}
    ),
    colleague=row(
        {"anonymous", "colleagues_anonymous"}, active={"anonymous", "colleagues_anonymous", "about_family"}
    ),
    other_bridge=row({"other_anonymous", "about_other_family"}),
)


def moments_in_each_state(world, things):
    moment = f.ContactMomentFactory
    things.update(
        anonymous=moment(
            team=world.team, bridge_figure=world.bridge, school=world.school, note="asked about fees"
        ),
        colleagues_anonymous=moment(
            team=world.team, bridge_figure=world.colleague, note="asked about a laptop"
        ),
        about_family=moment(
            team=world.team, bridge_figure=world.bridge, family=world.family, note="rent arrears"
        ),
        other_anonymous=moment(
            team=world.other_team, bridge_figure=world.other_bridge, note="asked about lunch"
        ),
        about_other_family=moment(
            team=world.other_team,
            bridge_figure=world.other_bridge,
            family=things["other_family"],
            note="eviction",
        ),
    )
    return every_role_in_every_state(
        world,
        lambda state: world.give(ConsentScope.REGISTER, state=state),
        lambda user: seen(ContactMoment.objects.visible_to(user), things),
    )


@pytest.mark.parametrize("role", ROLES)
def test_contact_moments_visible_to_own_team(once, role):
    assert once(moments_in_each_state)[role] == MOMENTS[role]


# --------------------------------------------------------------------------- anonymised family


# world.family had everything open (register for the family and the teen, refer to partner_org for
# the family and the teen, a moment in the logbook) and is then anonymised. Only the other family
# and the anonymous moment remain visible, to the same people as before.
def nobody_but(**by_role) -> dict[str, set[str]]:
    assert set(by_role) <= set(ROLES), by_role
    return {role: set(by_role.get(role, ())) for role in ROLES}


AFTER_ANONYMISATION = {
    "family_file": nobody_but(other_bridge={"other_family"}),
    "identity": nobody_but(other_bridge={"other_family"}, outsider={"other_family"}),
    "guardian": nobody_but(other_bridge={"other_guardian"}, outsider={"other_guardian"}),
    "child": nobody_but(other_bridge={"other_child"}, outsider={"other_child"}),
    "consent": nobody_but(other_bridge={"other_register", "other_refer"}),
    "contact_moment": nobody_but(bridge={"anonymous"}, colleague={"anonymous"}),
}


def everything_open_then_closed(world, things, close) -> dict[str, dict[str, set[str]]]:
    register = world.give(ConsentScope.REGISTER)
    world.give(ConsentScope.REGISTER, child=world.teen)
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    things["anonymous"] = f.ContactMomentFactory(team=world.team, bridge_figure=world.bridge)
    f.ContactMomentFactory(team=world.team, bridge_figure=world.bridge, family=world.family, note="debts")
    assert Family.objects.identity_visible_to(world.partner).exists()  # open a moment before

    close(register)

    def look(user):
        return {
            **family_data_seen_by(user, things),
            "contact_moment": seen(ContactMoment.objects.visible_to(user), things),
        }

    return {role: look(user) for role, user in world.everyone.items()}


def after_anonymisation(world, things):
    return everything_open_then_closed(world, things, lambda register: anonymise_family(family=world.family))


def after_register_withdrawal(world, things):
    return everything_open_then_closed(
        world, things, lambda register: withdraw_consent(consent=register, by=world.bridge, reason="no file")
    )


@pytest.mark.parametrize("closed", [after_anonymisation, after_register_withdrawal], ids=lambda c: c.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_anonymised_family_visible_to_nobody(once, role, closed):
    assert once(closed)[role] == {
        category: by_role[role] for category, by_role in AFTER_ANONYMISATION.items()
    }


# --------------------------------------------------------------------------- properties

consent_specs = st.lists(
    st.tuples(
        st.sampled_from([ConsentScope.REGISTER, ConsentScope.REFER, ConsentScope.INFORM_SCHOOL]),
        st.sampled_from(["team", "partner_org", "outsider_org", "school"]),
        st.sampled_from([None, "child", "teen"]),
        st.sampled_from(["active", "expired", "withdrawn"]),
    ),
    max_size=4,
)


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=consent_specs)
def test_children_visible_only_under_an_active_consent_that_covers_them(world, specs):
    """Whatever consents exist, a child is seen by the partner only under an active `refer`
    consent for partner_org that names the child or is family-wide while the child is under 12;
    by the bridge team likewise under `register`; and by no one else."""
    with transaction.atomic():
        given_consents = []
        for scope, recipient, child, state in specs:
            if scope == ConsentScope.REGISTER:
                recipient = "team"  # a file is only ever kept by the holding team
            if scope == ConsentScope.INFORM_SCHOOL:
                recipient = "school"
            who = getattr(world, child) if child else None
            world.give(scope, getattr(world, recipient), child=who, state=state)
            given_consents.append((scope, recipient, who, state))

        def covered(scope, recipient, child) -> bool:
            return any(
                s == scope
                and r == recipient
                and state == "active"
                and (c == child or (c is None and child != world.teen))
                for s, r, c, state in given_consents
            )

        for role, user in world.everyone.items():
            expected_children = set()
            for child in (world.child, world.teen):
                if role in ("bridge", "colleague") and covered(ConsentScope.REGISTER, "team", child):
                    expected_children.add(child.pk)
                if role == "partner" and covered(ConsentScope.REFER, "partner_org", child):
                    expected_children.add(child.pk)
                if role == "outsider" and covered(ConsentScope.REFER, "outsider_org", child):
                    expected_children.add(child.pk)
            assert set(Child.objects.visible_to(user).values_list("pk", flat=True)) == expected_children, role
        transaction.set_rollback(True)
