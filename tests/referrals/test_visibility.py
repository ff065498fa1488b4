"""Who sees a referral's status, its content and events, school requests and school notices
(DESIGN.md §5 and §7).

Referrals are put into their states through the lifecycle. A referral can only be sent under an
active `refer` consent, so the fixtures send them about a year ago under consents that have long
expired; each test then gives the consent whose state it is about, and what anyone may read now
depends on that consent alone. Expected tables are written out by hand from §5; a role not named
in a table sees nothing.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from families.actions import anonymise_family, withdraw_consent
from families.models import ConsentScope
from referrals.lifecycle import accept_referral, put_on_waiting_list, send_referral
from referrals.models import NoticeEvent, Referral, ReferralEvent, SchoolNotice, SchoolRequest
from tests import factories as f
from tests.conftest import CONSENT_STATES
from tests.visibility_table import ROLES, row, rows, seen

REFER, REGISTER, INFORM_SCHOOL = ConsentScope.REFER, ConsentScope.REGISTER, ConsentScope.INFORM_SCHOOL


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


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


A_YEAR_AGO = datetime.timedelta(days=350)


def past_consent(world, scope, recipient, *, child=None, family=None):
    """A consent that held about a year ago and has long expired."""
    return f.ConsentFactory(
        family=family or world.family,
        scope=scope,
        recipient=recipient,
        child=child,
        recorded_by=world.bridge,
        young_person_agreed=child is not None and child.is_young_person(),
        given_at=timezone.now() - datetime.timedelta(days=400),
        expires_on=timezone.localdate() - datetime.timedelta(days=300),
    )


def referral(world, receiving, *, child=None, family=None, by=None, **fields) -> Referral:
    return f.ReferralFactory(
        family=family or world.family,
        child=child,
        receiving_organisation=receiving,
        created_by=by or world.bridge,
        question="Noor needs help with homework since her father lost his job.",
        **fields,
    )


def other_family(world):
    """A family held by the other bridge team, with its file open and shared with outsider_org,
    and a child at the other school whose updates the family agreed to share with that school."""
    family = f.FamilyFactory(holding_team=world.other_team, primary_bridge_figure=world.other_bridge)
    f.GuardianFactory(family=family, first_name="Omar", last_name="Elders")
    child = f.ChildFactory(family=family, first_name="Lina", last_name="Elders", school=world.other_school)
    world.give(REGISTER, family=family)
    world.give(REFER, world.outsider_org, family=family)
    world.give(INFORM_SCHOOL, world.other_school, family=family)
    return family, child


@pytest.fixture
def things(world) -> dict:
    """Referrals of world.family in several states, sent a year ago, and one of the other team."""
    past_consent(world, REFER, world.partner_org)
    past_consent(world, REFER, world.outsider_org)
    past_consent(world, REFER, world.partner_org, child=world.teen)
    with time_machine.travel(timezone.now() - A_YEAR_AGO, tick=False):
        sent = send_referral(referral(world, world.partner_org, child=world.child), by=world.bridge)
        accepted = send_referral(referral(world, world.partner_org), by=world.bridge)  # the whole family
        accept_referral(accepted, by=world.partner, note="Intake on Monday with the mother.")
        to_outsider = send_referral(referral(world, world.outsider_org, child=world.child), by=world.bridge)
        about_teen = send_referral(referral(world, world.partner_org, child=world.teen), by=world.bridge)
        accept_referral(about_teen, by=world.partner, note="Sami talks about trouble at home.")
    draft = referral(world, world.partner_org, child=world.child)
    family, child = other_family(world)
    other = send_referral(
        referral(world, world.outsider_org, family=family, child=child, by=world.other_bridge),
        by=world.other_bridge,
    )
    return {
        "draft": draft,
        "sent": sent,
        "accepted": accepted,
        "to_outsider": to_outsider,
        "about_teen": about_teen,
        "other": other,
    }


def referrals_seen_by(user, things: dict) -> dict[str, set]:
    """Status and content by referral name; events as "referral:action"."""
    names = {r.pk: name for name, r in things.items()}
    events = ReferralEvent.objects.visible_to(user).values_list("referral_id", "action")
    return {
        "status": seen(Referral.objects.visible_to(user), things),
        "content": seen(Referral.objects.content_visible_to(user), things),
        "events": {f"{names.get(referral_id, referral_id)}:{action}" for referral_id, action in events},
    }


# The events the lifecycle wrote for each referral of `things` (checked below).
EVENTS = {
    "draft": set(),
    "sent": {"send"},
    "accepted": {"send", "accept"},
    "to_outsider": {"send"},
    "about_teen": {"send", "accept"},
    "other": {"send"},
}


def events_of(names: set[str]) -> set[str]:
    """Every event of the named referrals: what may be read with their content, no more."""
    return {f"{name}:{action}" for name in names for action in EVENTS[name]}


def expected_referrals(status: dict, content: dict, role: str) -> dict[str, dict[str, set]]:
    return {
        state: {
            "status": status[role][state],
            "content": content[role][state],
            "events": events_of(content[role][state]),
        }
        for state in CONSENT_STATES
    }


def every_role_in_every_state(world, give, look) -> dict[str, dict[str, object]]:
    """{role: {state: look(user)}}, each consent state given in turn by `give(state)`."""
    by_state = in_each_state(give, lambda: {role: look(user) for role, user in world.everyone.items()})
    return {role: {state: by_state[state][role] for state in CONSENT_STATES} for role in world.everyone}


@pytest.fixture(scope="module")
def _seen_in_scenarios() -> dict:
    return {}


@pytest.fixture
def once(request, _seen_in_scenarios):
    """`once(scenario)`: what every role sees in `scenario(fixture)` (which asks for the fixtures
    it needs), computed by the first test that asks (in its own transaction, from its own named
    world) and reused by the tests of the other roles. The results are plain names, so each
    role's test still asserts exact sets; building the same world nine times over would only
    cost time. Any test can compute it alone, so the order in which tests run does not matter."""

    def run(scenario):
        if scenario.__name__ not in _seen_in_scenarios:
            _seen_in_scenarios[scenario.__name__] = scenario(request.getfixturevalue)
        return _seen_in_scenarios[scenario.__name__]

    return run


def test_roles_cover_the_named_world(world):
    assert set(ROLES) == set(world.everyone)


def test_fixture_puts_referrals_in_their_states(world, things):
    statuses = {name: Referral.objects.get(pk=r.pk).status for name, r in things.items()}
    assert statuses == {
        "draft": "draft",
        "sent": "sent",
        "accepted": "accepted",
        "to_outsider": "sent",
        "about_teen": "accepted",
        "other": "sent",
    }
    written = ReferralEvent.objects.values_list("referral_id", "action")
    names = {r.pk: name for name, r in things.items()}
    assert {f"{names[referral_id]}:{action}" for referral_id, action in written} == events_of(set(things))


# --------------------------------------------------------------------------- referral status

TEAM = {"draft", "sent", "accepted", "to_outsider", "about_teen"}

# Status does not depend on any consent: the same in every state. Never a draft for a partner.
STATUS = rows(
    bridge=row(TEAM),
    colleague=row(TEAM),
    other_bridge=row({"other"}),
    partner=row({"sent", "accepted", "about_teen"}),
    outsider=row({"to_outsider", "other"}),
)


# --------------------------------------------------------------------------- content: refer

# The file is open for the family and the teen; the family-wide `refer` consent for partner_org
# is in the parametrised state ("other_organisation": given to outsider_org instead).
CONTENT_WITH_REFER = rows(
    bridge=row(TEAM),
    colleague=row(TEAM),
    other_bridge=row({"other"}),
    # The teen's referral never: a family-wide consent does not cover a young person of 12+.
    partner=row(active={"sent", "accepted"}),
    outsider=row({"other"}, other_organisation={"to_outsider", "other"}),
)


def refer_in_each_state(fixture):
    world, things = fixture("world"), fixture("things")
    world.give(REGISTER)
    world.give(REGISTER, child=world.teen)
    return every_role_in_every_state(
        world,
        lambda state: world.give(REFER, world.partner_org, state=state),
        lambda user: referrals_seen_by(user, things),
    )


@pytest.mark.parametrize("role", ROLES)
def test_referrals_visible_with_refer_consent(once, role):
    assert once(refer_in_each_state)[role] == expected_referrals(STATUS, CONTENT_WITH_REFER, role)


# The file is open for the family and the teen; the family-wide `refer` consent for partner_org
# is active; the teen's own `refer` consent for partner_org (with the young person's agreement)
# is in the parametrised state.
CONTENT_WITH_TEEN_REFER = rows(
    bridge=row(TEAM),
    colleague=row(TEAM),
    other_bridge=row({"other"}),
    partner=row({"sent", "accepted"}, active={"sent", "accepted", "about_teen"}),
    # A consent for the teen to outsider_org opens no referral about anyone else.
    outsider=row({"other"}),
)


def teen_refer_in_each_state(fixture):
    world, things = fixture("world"), fixture("things")
    world.give(REGISTER)
    world.give(REGISTER, child=world.teen)
    world.give(REFER, world.partner_org)
    return every_role_in_every_state(
        world,
        lambda state: world.give(REFER, world.partner_org, child=world.teen, state=state),
        lambda user: referrals_seen_by(user, things),
    )


@pytest.mark.parametrize("role", ROLES)
def test_teen_referral_content_needs_young_persons_own_consent(once, role):
    assert once(teen_refer_in_each_state)[role] == expected_referrals(STATUS, CONTENT_WITH_TEEN_REFER, role)


# --------------------------------------------------------------------------- content: register

# Both `refer` consents (family and teen, for partner_org) are active; the `register` consents of
# the family and of the teen are in the parametrised state. Without an open file the team reads
# the status of its referrals but no longer their content.
CONTENT_WITH_REGISTER = rows(
    bridge=row(active=TEAM),
    colleague=row(active=TEAM),
    other_bridge=row({"other"}),
    partner=row({"sent", "accepted", "about_teen"}),
    outsider=row({"other"}),
)


def register_in_each_state(fixture):
    world, things = fixture("world"), fixture("things")
    world.give(REFER, world.partner_org)
    world.give(REFER, world.partner_org, child=world.teen)

    def give(state):
        world.give(REGISTER, state=state)
        world.give(REGISTER, child=world.teen, state=state)

    return every_role_in_every_state(world, give, lambda user: referrals_seen_by(user, things))


@pytest.mark.parametrize("role", ROLES)
def test_referrals_visible_with_register_consent(once, role):
    assert once(register_in_each_state)[role] == expected_referrals(STATUS, CONTENT_WITH_REGISTER, role)


def test_bridge_reads_teen_referral_only_with_teens_own_register_consent(world, things):
    """The team's file covers a young person of 12+ only with their agreement (as for the Child
    record itself), so the question about the teen stays closed until the teen agreed."""
    world.give(REGISTER)
    world.give(REFER, world.partner_org)
    world.give(REFER, world.partner_org, child=world.teen)

    assert seen(Referral.objects.content_visible_to(world.bridge), things) == TEAM - {"about_teen"}
    assert seen(Referral.objects.visible_to(world.bridge), things) == TEAM
    assert seen(Referral.objects.content_visible_to(world.partner), things) == {
        "sent",
        "accepted",
        "about_teen",
    }

    world.give(REGISTER, child=world.teen)

    assert seen(Referral.objects.content_visible_to(world.bridge), things) == TEAM


# --------------------------------------------------------------------------- cut at once


def test_refer_withdrawal_cuts_partner_content_at_once(world, things):
    world.give(REGISTER)
    refer = world.give(REFER, world.partner_org)
    assert referrals_seen_by(world.partner, things) == {
        "status": {"sent", "accepted", "about_teen"},
        "content": {"sent", "accepted"},
        "events": events_of({"sent", "accepted"}),
    }

    withdraw_consent(consent=refer, by=world.bridge, reason="the family changed its mind")

    assert referrals_seen_by(world.partner, things) == {
        "status": {"sent", "accepted", "about_teen"},
        "content": set(),
        "events": set(),
    }
    assert seen(Referral.objects.content_visible_to(world.bridge), things) == TEAM - {"about_teen"}


def test_refer_expiry_cuts_partner_content_at_once(world, things):
    last_day = timezone.localdate() + datetime.timedelta(days=2)
    f.ConsentFactory(
        family=world.family,
        scope=REFER,
        recipient=world.partner_org,
        expires_on=last_day,
        recorded_by=world.bridge,
    )
    with time_machine.travel(at_noon(last_day), tick=False):
        assert seen(Referral.objects.content_visible_to(world.partner), things) == {"sent", "accepted"}
    with time_machine.travel(at_noon(last_day + datetime.timedelta(days=1)), tick=False):
        assert referrals_seen_by(world.partner, things) == {
            "status": {"sent", "accepted", "about_teen"},
            "content": set(),
            "events": set(),
        }


def after_anonymisation(fixture):
    world, things = fixture("world"), fixture("things")
    world.give(REGISTER)
    world.give(REGISTER, child=world.teen)
    world.give(REFER, world.partner_org)
    world.give(REFER, world.partner_org, child=world.teen)
    world.give(REFER, world.outsider_org)

    anonymise_family(family=world.family)

    return {role: referrals_seen_by(user, things) for role, user in world.everyone.items()}


# Status stays (the counts of the report need it); content and events are gone for everyone.
CONTENT_AFTER_ANONYMISATION = rows(other_bridge=row({"other"}), outsider=row({"other"}))


@pytest.mark.parametrize("role", ROLES)
def test_anonymised_family_referrals_keep_status_lose_content(once, role):
    expected = expected_referrals(STATUS, CONTENT_AFTER_ANONYMISATION, role)["active"]
    assert once(after_anonymisation)[role] == expected


# --------------------------------------------------------------------------- properties

refer_consents = st.lists(
    st.tuples(
        st.sampled_from(["partner_org", "outsider_org"]),
        st.sampled_from([None, "child", "teen"]),
        st.sampled_from(["active", "expired", "withdrawn"]),
    ),
    max_size=4,
)


@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(consents=refer_consents)
def test_partner_never_reads_content_without_active_refer_consent_to_own_org(world, things, consents):
    """Whatever refer consents exist, a partner worker reads a referral only under an active one
    for their own organisation that names the referral's child, or is family-wide and the
    referral is not about a young person of 12+."""
    with transaction.atomic():
        for organisation, child, state in consents:
            world.give(
                REFER,
                getattr(world, organisation),
                child=getattr(world, child) if child else None,
                state=state,
            )

        def allowed(organisation: str, about) -> bool:
            return any(
                org == organisation
                and state == "active"
                and ((child and getattr(world, child) == about) or (child is None and about != world.teen))
                for org, child, state in consents
            )

        for user, organisation in ((world.partner, "partner_org"), (world.outsider, "outsider_org")):
            expected = {
                name
                for name, r in things.items()
                if r.receiving_organisation == getattr(world, organisation)
                and r.family == world.family
                and r.status != "draft"
                and allowed(organisation, r.child)
            }
            assert seen(Referral.objects.content_visible_to(user), things) - {"other"} == expected
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- school requests


@pytest.fixture
def requests(world) -> dict:
    uncovered_school = f.SchoolFactory(name="Basisschool Niemandsland")
    uncovered_coordinator = f.UserFactory(email="zorg-niemand@world.test")
    f.MembershipFactory(user=uncovered_coordinator, organisation=uncovered_school, role="school_coordinator")
    request = f.SchoolRequestFactory
    return {
        "from_school": request(
            school=world.school,
            created_by=world.school_coordinator,
            pupil_first_name="Noor",
            pupil_last_name="Leaksma",
            family=world.family,
            child=world.child,
            reason="Comes to school without lunch.",
        ),
        "from_other_school": request(school=world.other_school, created_by=world.other_school_coordinator),
        "from_uncovered_school": request(school=uncovered_school, created_by=uncovered_coordinator),
    }


# A school always sees its own requests; a bridge team those of the schools it covers; the
# family's `inform_school` consent (parametrised) changes nothing.
SCHOOL_REQUESTS = rows(
    bridge=row({"from_school"}),
    colleague=row({"from_school"}),  # the whole team serves the school its colleague covers
    other_bridge=row({"from_other_school"}),
    school_coordinator=row({"from_school"}),
    other_school_coordinator=row({"from_other_school"}),
)


def requests_in_each_state(fixture):
    world, requests = fixture("world"), fixture("requests")
    return every_role_in_every_state(
        world,
        lambda state: world.give(INFORM_SCHOOL, world.school, state=state),
        lambda user: seen(SchoolRequest.objects.visible_to(user), requests),
    )


@pytest.mark.parametrize("role", ROLES)
def test_school_requests_visible_to_own_school_and_covering_team(once, role):
    assert once(requests_in_each_state)[role] == SCHOOL_REQUESTS[role]


def test_school_requests_not_visible_through_inactive_coverage(world, requests):
    membership = world.bridge.memberships.get()
    membership.active = False
    membership.save()

    assert seen(SchoolRequest.objects.visible_to(world.bridge), requests) == set()
    assert seen(SchoolRequest.objects.visible_to(world.colleague), requests) == set()
    assert seen(SchoolRequest.objects.visible_to(world.school_coordinator), requests) == {"from_school"}


# --------------------------------------------------------------------------- school notices


@pytest.fixture
def notices(world) -> dict:
    """Notices written a year ago while the family's `inform_school` consent for the school held:
    picked up and waiting about the child; "no permission" on the school's request about the
    teen (a family-wide consent does not cover a young person). And a notice of the other school."""
    past_consent(world, REFER, world.partner_org)
    past_consent(world, REFER, world.partner_org, child=world.teen)
    past_consent(world, INFORM_SCHOOL, world.school)
    request = f.SchoolRequestFactory(
        school=world.school,
        created_by=world.school_coordinator,
        pupil_first_name="Sami",
        pupil_last_name="Leaksma",
        family=world.family,
        child=world.teen,
    )
    with time_machine.travel(timezone.now() - A_YEAR_AGO, tick=False):
        about_child = send_referral(referral(world, world.partner_org, child=world.child), by=world.bridge)
        accept_referral(about_child, by=world.partner)
        put_on_waiting_list(about_child, by=world.partner, interim_support="homework club on Wednesdays")
        about_teen = referral(
            world, world.partner_org, child=world.teen, school_request=request, source=Referral.Source.SCHOOL
        )
        accept_referral(send_referral(about_teen, by=world.bridge), by=world.partner)
    family, child = other_family(world)
    other = send_referral(
        referral(world, world.outsider_org, family=family, child=child, by=world.other_bridge),
        by=world.other_bridge,
    )
    accept_referral(other, by=world.outsider)
    notice = SchoolNotice.objects.get
    return {
        "picked_up": notice(child=world.child, event=NoticeEvent.PICKED_UP),
        "waiting": notice(child=world.child, event=NoticeEvent.WAITING),
        "no_permission": notice(school_request=request, event=NoticeEvent.NO_PERMISSION),
        "other_picked_up": notice(school=world.other_school, event=NoticeEvent.PICKED_UP),
    }


def test_fixture_writes_only_these_notices(world, notices):
    assert SchoolNotice.objects.count() == len(notices)


# The family's `inform_school` consent for the school (family-wide) is in the parametrised state
# ("other_organisation": given to the other school instead). Never bridge, partner, network
# coordinator or administrator; never the other school.
NOTICES = rows(
    school_coordinator=row({"no_permission"}, active={"picked_up", "waiting", "no_permission"}),
    other_school_coordinator=row({"other_picked_up"}),
)


def notices_in_each_state(fixture):
    world, notices = fixture("world"), fixture("notices")
    return every_role_in_every_state(
        world,
        lambda state: world.give(INFORM_SCHOOL, world.school, state=state),
        lambda user: seen(SchoolNotice.objects.visible_to(user), notices),
    )


@pytest.mark.parametrize("role", ROLES)
def test_school_notices_visible_with_inform_school_consent(once, role):
    assert once(notices_in_each_state)[role] == NOTICES[role]


def test_inform_school_withdrawal_and_expiry_cut_notices_at_once(world, notices):
    last_day = timezone.localdate() + datetime.timedelta(days=3)
    consent = f.ConsentFactory(
        family=world.family,
        scope=INFORM_SCHOOL,
        recipient=world.school,
        expires_on=last_day,
        recorded_by=world.bridge,
    )
    everything = {"picked_up", "waiting", "no_permission"}
    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == everything
    with time_machine.travel(at_noon(last_day), tick=False):
        assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == everything
    with time_machine.travel(at_noon(last_day + datetime.timedelta(days=1)), tick=False):
        assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {"no_permission"}
    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == everything

    withdraw_consent(consent=consent, by=world.bridge, reason="asked the school to stop")

    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {"no_permission"}


def test_teen_notice_needs_young_persons_own_consent(world, notices):
    world.give(REFER, world.partner_org, child=world.teen)
    teen_consent = world.give(INFORM_SCHOOL, world.school, child=world.teen)
    about_teen = send_referral(referral(world, world.partner_org, child=world.teen), by=world.bridge)
    accept_referral(about_teen, by=world.partner)
    notices["teen_picked_up"] = SchoolNotice.objects.get(child=world.teen, event=NoticeEvent.PICKED_UP)
    world.give(INFORM_SCHOOL, world.school)  # family-wide: covers the child, not the teen

    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {
        "picked_up",
        "waiting",
        "no_permission",
        "teen_picked_up",
    }

    withdraw_consent(consent=teen_consent, by=world.bridge)

    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {
        "picked_up",
        "waiting",
        "no_permission",
    }


def test_anonymised_family_notices_hidden_from_school(world, notices):
    world.give(REGISTER)
    world.give(INFORM_SCHOOL, world.school)
    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {
        "picked_up",
        "waiting",
        "no_permission",
    }

    anonymise_family(family=world.family)

    # The school's own request keeps its "no permission" answer; nothing about the family remains.
    assert seen(SchoolNotice.objects.visible_to(world.school_coordinator), notices) == {"no_permission"}
