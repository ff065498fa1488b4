"""The referral lifecycle of DESIGN.md §6 and the school notices it writes (§7).

The referral under test goes from `team` (bridge) to `partner_org` (partner), about `child` (8, at
`school`), unless a test says otherwise.
"""

from __future__ import annotations

import datetime
import functools
import os
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone, translation

from families.models import ConsentScope
from referrals import lifecycle
from referrals.lifecycle import (
    RECEIVING,
    REFERRING,
    TRANSITIONS,
    ConcurrentChange,
    ConsentMissing,
    TransitionNotAllowed,
    accept_referral,
    add_working_days,
    close_referral,
    decline_referral,
    put_on_waiting_list,
    record_contact,
    record_follow_up,
    send_referral,
    start_support,
    withdraw_referral,
)
from referrals.models import NoticeEvent, Referral, ReferralEvent, SchoolNotice, Status
from tests import factories as f
from tests.conftest import CONSENT_STATES

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# One call per action of TRANSITIONS, with whatever else that action needs to be valid.
ACTIONS = {
    "send": send_referral,
    "accept": accept_referral,
    "decline": functools.partial(decline_referral, reason=Referral.DeclineReason.NO_CAPACITY),
    "put_on_waiting_list": put_on_waiting_list,
    "record_contact": record_contact,
    "start": start_support,
    "close": functools.partial(close_referral, outcome=Referral.Outcome.RESOLVED),
    "withdraw": withdraw_referral,
}

# The shortest legal way from a draft to each status.
PATH_TO = {
    Status.DRAFT: [],
    Status.SENT: ["send"],
    Status.ACCEPTED: ["send", "accept"],
    Status.DECLINED: ["send", "decline"],
    Status.WAITING: ["send", "accept", "put_on_waiting_list"],
    Status.CONTACT_MADE: ["send", "accept", "record_contact"],
    Status.IN_PROGRESS: ["send", "accept", "record_contact", "start"],
    Status.CLOSED: ["send", "accept", "close"],
    Status.WITHDRAWN: ["withdraw"],
}

# The timestamp each action writes (contact_made_on is a date).
TIMESTAMP = {
    "send": "sent_at",
    "accept": "answered_at",
    "decline": "answered_at",
    "put_on_waiting_list": "waiting_since",
    "record_contact": "contact_made_on",
    "start": "started_at",
    "close": "closed_at",
    "withdraw": "withdrawn_at",
}

ALL_PAIRS = [(status, action) for status in Status.values for action in TRANSITIONS]
LEGAL_PAIRS = [(s, a) for s, a in ALL_PAIRS if s in TRANSITIONS[a][0]]
ILLEGAL_PAIRS = [(s, a) for s, a in ALL_PAIRS if s not in TRANSITIONS[a][0]]

ONLY_REFERRING = "Only the referring bridge team can do this."
ONLY_RECEIVING = "Only the receiving organisation can do this."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def actor(world, action: str):
    return world.bridge if TRANSITIONS[action][2] == REFERRING else world.partner


def act(world, referral: Referral, action: str, **kwargs) -> Referral:
    return ACTIONS[action](referral, by=kwargs.pop("by", actor(world, action)), **kwargs)


def new_referral(world, *, child=None, **kwargs) -> Referral:
    """A draft from `team` to `partner_org`, with no consent given for it."""
    return f.ReferralFactory(
        family=world.family,
        child=child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="Noor wants help with reading after school.",
        **kwargs,
    )


@pytest.fixture
def referral(world) -> Referral:
    """A draft about `child` that the family agreed to share with `partner_org`."""
    world.give(ConsentScope.REFER, world.partner_org)
    return new_referral(world, child=world.child)


def bring_to(world, referral: Referral, status: str) -> Referral:
    for action in PATH_TO[status]:
        act(world, referral, action)
    assert referral.status == status
    return referral


def snapshot(referral: Referral) -> tuple:
    fresh = Referral.objects.get(pk=referral.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.sent_at,
        fresh.respond_by,
        ReferralEvent.objects.filter(referral=fresh).count(),
    )


def notices() -> list[tuple]:
    return list(
        SchoolNotice.objects.order_by("pk").values_list(
            "school", "child", "school_request", "event", "bridge_figure", "key"
        )
    )


# --------------------------------------------------------------------------- the transition table


def test_actions_cover_every_transition():
    assert set(ACTIONS) == set(TRANSITIONS)
    assert set(PATH_TO) == set(Status.values)


@pytest.mark.parametrize(("status", "action"), LEGAL_PAIRS, ids=[f"{s}-{a}" for s, a in LEGAL_PAIRS])
def test_legal_transition_succeeds(world, referral, status, action):
    bring_to(world, referral, status)
    version, event_count = referral.version, referral.events.count()
    by = actor(world, action)
    now = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=5)

    with time_machine.travel(now, tick=False):
        act(world, referral, action, by=by, expected_version=version)

    referral.refresh_from_db()
    target = TRANSITIONS[action][1]
    assert referral.status == target
    assert referral.version == version + 1
    expected_stamp = timezone.localdate(now) if action == "record_contact" else now
    assert getattr(referral, TIMESTAMP[action]) == expected_stamp
    assert referral.events.count() == event_count + 1
    event = referral.events.order_by("pk").last()
    assert (event.action, event.from_status, event.to_status, event.by, event.at) == (
        action,
        status,
        target,
        by,
        now,
    )


@pytest.mark.parametrize(("status", "action"), ILLEGAL_PAIRS, ids=[f"{s}-{a}" for s, a in ILLEGAL_PAIRS])
def test_illegal_transition_is_refused_and_changes_nothing(world, referral, status, action):
    bring_to(world, referral, status)
    before = snapshot(referral)

    with pytest.raises(TransitionNotAllowed) as refused:
        act(world, referral, action, expected_version=referral.version)

    verb = TRANSITIONS[action][3]
    assert refused.value.messages == [f"A referral that is “{Status(status).label}” cannot be {verb}."]
    assert refused.value.code == "illegal_transition"
    assert snapshot(referral) == before


def test_send_sets_respond_by_and_sent_at(world, referral):
    send_referral(referral, by=world.bridge)

    assert referral.status == Status.SENT
    assert referral.sent_at is not None
    assert referral.respond_by == add_working_days(timezone.localdate(referral.sent_at), 5)


# --------------------------------------------------------------------------- who may act


@pytest.mark.parametrize(
    ("who", "status", "action", "side"),
    [
        ("partner", Status.DRAFT, "send", REFERRING),
        ("partner", Status.SENT, "withdraw", REFERRING),
        ("partner", Status.ACCEPTED, "withdraw", REFERRING),
        ("other_bridge", Status.DRAFT, "send", REFERRING),
        ("other_bridge", Status.SENT, "withdraw", REFERRING),
        ("bridge", Status.SENT, "accept", RECEIVING),
        ("bridge", Status.SENT, "decline", RECEIVING),
        ("bridge", Status.ACCEPTED, "close", RECEIVING),
        ("outsider", Status.SENT, "accept", RECEIVING),
        ("outsider", Status.ACCEPTED, "record_contact", RECEIVING),
        ("school_coordinator", Status.SENT, "accept", RECEIVING),
        ("network_coordinator", Status.DRAFT, "send", REFERRING),
        ("administrator", Status.SENT, "withdraw", REFERRING),
    ],
)
def test_transition_by_the_wrong_side_is_refused(world, referral, who, status, action, side):
    bring_to(world, referral, status)
    before = snapshot(referral)

    with pytest.raises(TransitionNotAllowed) as refused:
        act(world, referral, action, by=world.everyone[who])

    assert refused.value.messages == [ONLY_REFERRING if side == REFERRING else ONLY_RECEIVING]
    assert refused.value.code == "not_your_side"
    assert snapshot(referral) == before


def test_transition_by_a_colleague_of_the_referring_team_succeeds(world, referral):
    send_referral(referral, by=world.colleague)

    assert referral.status == Status.SENT
    assert referral.events.get().by == world.colleague


# --------------------------------------------------------------------------- required answers


@pytest.mark.parametrize("reason", ["", "no_reason_at_all"])
def test_decline_without_a_valid_reason_is_refused(world, referral, reason):
    bring_to(world, referral, Status.SENT)
    before = snapshot(referral)

    with pytest.raises(ValidationError) as refused:
        decline_referral(referral, by=world.partner, reason=reason)

    assert refused.value.messages == ["Choose a reason for declining."]
    assert snapshot(referral) == before


def test_decline_with_a_reason_keeps_reason_and_note(world, referral):
    bring_to(world, referral, Status.SENT)
    suggestion = f.OfferFactory(organisation=world.outsider_org, name="Leesclub")

    decline_referral(
        referral,
        by=world.partner,
        reason=Referral.DeclineReason.BETTER_ELSEWHERE,
        note="The reading club fits better.",
        suggested_offer=suggestion,
    )

    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.decline_note, referral.suggested_offer) == (
        Status.DECLINED,
        "better_elsewhere",
        "The reading club fits better.",
        suggestion,
    )
    assert referral.events.order_by("pk").last().note == "The reading club fits better."


@pytest.mark.parametrize("outcome", ["", "happy"])
def test_close_without_a_valid_outcome_is_refused(world, referral, outcome):
    bring_to(world, referral, Status.IN_PROGRESS)
    before = snapshot(referral)

    with pytest.raises(ValidationError) as refused:
        close_referral(referral, by=world.partner, outcome=outcome)

    assert refused.value.messages == ["Choose an outcome to close the referral."]
    assert snapshot(referral) == before


@pytest.mark.parametrize("outcome", Referral.Outcome.values)
def test_close_with_each_outcome_succeeds(world, referral, outcome):
    bring_to(world, referral, Status.IN_PROGRESS)

    close_referral(referral, by=world.partner, outcome=outcome)

    assert (referral.status, referral.outcome) == (Status.CLOSED, outcome)


# --------------------------------------------------------------------------- consent to send


def _missing_consent_message() -> list[str]:
    return [
        "There is no current consent from the family to share this with Huiswerkklas De Brug. Record it first."
    ]


@pytest.mark.parametrize("state", ["none", "expired", "withdrawn", "other_organisation"])
def test_send_without_an_active_refer_consent_for_the_recipient_is_refused(world, state):
    world.give(ConsentScope.REGISTER)  # the family file itself is open
    world.give(ConsentScope.REFER, world.partner_org, state=state)
    draft = new_referral(world, child=world.child)
    before = snapshot(draft)

    with pytest.raises(ConsentMissing) as refused:
        send_referral(draft, by=world.bridge)

    assert refused.value.messages == _missing_consent_message()
    assert refused.value.code == "consent_missing"
    assert snapshot(draft) == before == (Status.DRAFT, 1, None, None, 0)


def test_send_about_a_teen_with_only_a_family_level_consent_is_refused(world):
    world.give(ConsentScope.REFER, world.partner_org)  # covers Noor (8), not Sami (14)
    draft = new_referral(world, child=world.teen)

    with pytest.raises(ConsentMissing) as refused:
        send_referral(draft, by=world.bridge)

    assert refused.value.messages == _missing_consent_message()
    assert snapshot(draft) == (Status.DRAFT, 1, None, None, 0)


def test_send_about_a_teen_with_their_own_agreement_succeeds(world):
    consent = world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    assert consent.young_person_agreed is True
    draft = new_referral(world, child=world.teen)

    send_referral(draft, by=world.bridge)

    assert (draft.status, draft.version) == (Status.SENT, 2)


def test_send_about_a_teen_with_a_consent_for_the_other_child_is_refused(world):
    world.give(ConsentScope.REFER, world.partner_org, child=world.child)
    draft = new_referral(world, child=world.teen)

    with pytest.raises(ConsentMissing):
        send_referral(draft, by=world.bridge)

    assert snapshot(draft) == (Status.DRAFT, 1, None, None, 0)


def test_send_for_the_whole_family_needs_a_family_level_consent(world):
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    draft = new_referral(world)

    with pytest.raises(ConsentMissing):
        send_referral(draft, by=world.bridge)

    world.give(ConsentScope.REFER, world.partner_org)
    send_referral(draft, by=world.bridge)
    assert draft.status == Status.SENT


@pytest.mark.parametrize("question", ["", "   \n"])
def test_send_without_a_question_is_refused(world, referral, question):
    Referral.objects.filter(pk=referral.pk).update(question=question)

    with pytest.raises(ValidationError) as refused:
        send_referral(referral, by=world.bridge)

    assert refused.value.messages == ["Write the family's question before sending."]
    assert snapshot(referral) == (Status.DRAFT, 1, None, None, 0)


def test_send_without_a_need_domain_is_refused(world, referral):
    referral.need_domains.clear()

    with pytest.raises(ValidationError) as refused:
        send_referral(referral, by=world.bridge)

    assert refused.value.messages == ["Choose at least one need domain before sending."]
    assert snapshot(referral) == (Status.DRAFT, 1, None, None, 0)


# --------------------------------------------------------------------------- respond-by


def _next_friday() -> datetime.date:
    """A Friday after today, so that what the test's world records now lies before it."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)


FRIDAY = datetime.datetime.combine(_next_friday(), datetime.time(16, 30), tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("working_days", "days_later"),
    [
        (5, 7),  # the next Friday
        (3, 5),  # Wednesday: Saturday and Sunday do not count
        (1, 3),  # Monday, not Saturday
    ],
)
def test_send_sets_respond_by_working_days_after_sending(world, settings, working_days, days_later):
    settings.VILLAGE_RESPONSE_WORKING_DAYS = working_days
    with time_machine.travel(FRIDAY, tick=False):
        assert timezone.localdate().strftime("%A") == "Friday"
        world.give(ConsentScope.REFER, world.partner_org)
        draft = new_referral(world, child=world.child)

        send_referral(draft, by=world.bridge)

    assert (draft.sent_at, draft.respond_by) == (FRIDAY, FRIDAY.date() + datetime.timedelta(days=days_later))


def test_add_working_days_skips_weekends():
    saturday = datetime.date(2026, 12, 5)
    assert add_working_days(saturday, 1) == datetime.date(2026, 12, 7)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(datetime.date(2026, 12, 4), 10) == datetime.date(2026, 12, 18)


# --------------------------------------------------------------------------- concurrent changes


def test_stale_expected_version_raises_concurrent_change_and_changes_nothing(world, referral):
    bring_to(world, referral, Status.ACCEPTED)
    seen = referral.version
    put_on_waiting_list(referral, by=world.partner, expected_version=seen)
    before = snapshot(referral)

    with pytest.raises(ConcurrentChange) as refused:
        record_contact(referral, by=world.partner, expected_version=seen)

    assert refused.value.messages == [
        "This referral changed meanwhile (it is now “on the waiting list”). Nothing was saved; look at the change and try again."
    ]
    assert refused.value.code == "concurrent_change"
    assert snapshot(referral) == before
    assert before[:2] == (Status.WAITING, seen + 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_changing_at_once_cannot_both_win(world, monkeypatch):
    """Two partner workers, each in their own connection, act on the version they both loaded."""
    if connection.vendor == "sqlite" and os.environ.get("CI") != "true":
        pytest.skip("row locks need PostgreSQL (runs in CI)")
    assert connection.vendor == "postgresql", "this test needs PostgreSQL's row locks"

    world.give(ConsentScope.REFER, world.partner_org)
    referral = bring_to(world, new_referral(world, child=world.child), Status.ACCEPTED)
    seen = referral.version

    # Hold the row a moment inside the winner's transaction, so the other attempt surely overlaps.
    queue_notices = lifecycle.queue_notices_for_transition

    def slow_queue_notices(*args, **kwargs):
        result = queue_notices(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(lifecycle, "queue_notices_for_transition", slow_queue_notices)

    both_loaded = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def attempt(action: str) -> None:
        try:
            mine = Referral.objects.get(pk=referral.pk)
            assert mine.version == seen
            both_loaded.wait()
            ACTIONS[action](mine, by=world.partner, expected_version=mine.version)
            outcomes[action] = "saved"
        except ConcurrentChange:
            outcomes[action] = "concurrent_change"
        except Exception as error:  # reported in the assertion below
            outcomes[action] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in ("put_on_waiting_list", "record_contact")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["concurrent_change", "saved"], outcomes
    (winner,) = [action for action, outcome in outcomes.items() if outcome == "saved"]
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (TRANSITIONS[winner][1], seen + 1)
    assert list(
        referral.events.filter(action__in=["put_on_waiting_list", "record_contact"]).values_list(
            "action", flat=True
        )
    ) == [winner]


# --------------------------------------------------------------------------- follow-up


def test_follow_up_before_contact_is_refused(world, referral):
    bring_to(world, referral, Status.ACCEPTED)
    before = snapshot(referral)

    with pytest.raises(TransitionNotAllowed) as refused:
        record_follow_up(referral, by=world.bridge, result=Referral.FollowUp.YES)

    assert refused.value.messages == ["A follow-up can only be recorded once contact has been made."]
    assert refused.value.code == "follow_up_too_early"
    assert snapshot(referral) == before
    assert Referral.objects.count() == 1


def test_follow_up_by_the_receiving_side_is_refused(world, referral):
    bring_to(world, referral, Status.CONTACT_MADE)

    with pytest.raises(TransitionNotAllowed) as refused:
        record_follow_up(referral, by=world.partner, result=Referral.FollowUp.YES)

    assert refused.value.messages == [ONLY_REFERRING]


def test_follow_up_yes_records_the_answer_without_a_re_referral(world, referral):
    bring_to(world, referral, Status.CONTACT_MADE)

    again = record_follow_up(referral, by=world.bridge, result=Referral.FollowUp.YES, expected_version=4)

    assert again is None
    referral.refresh_from_db()
    assert (referral.follow_up_result, referral.status, referral.version) == ("yes", Status.CONTACT_MADE, 5)
    assert Referral.objects.count() == 1


def test_follow_up_wrong_place_opens_a_linked_draft_re_referral(world, referral):
    referral.need_domains.set([f.need_domain("learning_homework"), f.need_domain("language")])
    bring_to(world, referral, Status.CONTACT_MADE)

    again = record_follow_up(referral, by=world.colleague, result=Referral.FollowUp.WRONG_PLACE)

    referral.refresh_from_db()
    assert referral.follow_up_result == "wrong_place"
    event = referral.events.order_by("pk").last()
    assert (event.action, event.from_status, event.to_status, event.by) == (
        "follow_up",
        Status.CONTACT_MADE,
        Status.CONTACT_MADE,
        world.colleague,
    )
    assert again.pk != referral.pk
    assert (again.status, again.version, again.previous_referral, again.family, again.child) == (
        Status.DRAFT,
        1,
        referral,
        world.family,
        world.child,
    )
    assert (again.referring_team, again.created_by, again.question) == (
        world.team,
        world.colleague,
        referral.question,
    )
    assert set(again.need_domains.values_list("code", flat=True)) == {"learning_homework", "language"}
    assert list(referral.re_referrals.all()) == [again]
    assert again.events.count() == 0


# --------------------------------------------------------------------------- school notices (§7)


def test_school_notice_has_no_field_for_what_a_school_may_not_learn():
    assert [field.name for field in SchoolNotice._meta.concrete_fields] == [
        "id",
        "school",
        "child",
        "school_request",
        "event",
        "bridge_figure",
        "key",
        "created_at",
        "deliver_after",
        "sent_at",
        "dropped_at",
        "attempts",
        "last_error",
    ]


@pytest.mark.parametrize(
    ("path", "events"),
    [
        (["send"], []),
        (["send", "accept"], ["picked_up"]),
        (["send", "decline"], []),
        (["send", "accept", "put_on_waiting_list"], ["picked_up", "waiting"]),
        (["send", "accept", "record_contact"], ["picked_up", "started"]),
        (
            ["send", "accept", "put_on_waiting_list", "record_contact", "start"],
            ["picked_up", "waiting", "started"],
        ),
        (["send", "accept", "record_contact", "start", "close"], ["picked_up", "started", "ended"]),
        (["send", "accept", "withdraw"], ["picked_up", "ended"]),
        (["send", "accept", "put_on_waiting_list", "withdraw"], ["picked_up", "waiting", "ended"]),
        (["send", "withdraw"], []),
        (["withdraw"], []),
    ],
    ids=lambda value: "-".join(value) or "nothing" if isinstance(value, list) else value,
)
def test_transitions_write_the_school_notice_with_inform_school_consent(world, referral, path, events):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)

    for action in path:
        act(world, referral, action)

    assert notices() == [
        (world.school.pk, world.child.pk, None, event, world.bridge.pk, f"referral:{referral.pk}:{event}")
        for event in events
    ]


def test_contact_and_start_write_only_one_started_notice(world, referral):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    bring_to(world, referral, Status.CONTACT_MADE)
    assert SchoolNotice.objects.filter(event=NoticeEvent.STARTED).count() == 1

    start_support(referral, by=world.partner)

    assert referral.status == Status.IN_PROGRESS
    assert SchoolNotice.objects.filter(event=NoticeEvent.STARTED).count() == 1


@pytest.mark.parametrize("state", CONSENT_STATES)
def test_notices_need_an_active_inform_school_consent_for_the_pupils_school(world, referral, state):
    world.give(ConsentScope.INFORM_SCHOOL, world.school, state=state)

    bring_to(world, referral, Status.IN_PROGRESS)
    close_referral(referral, by=world.partner, outcome=Referral.Outcome.RESOLVED)

    expected = ["picked_up", "started", "ended"] if state == "active" else []
    assert [event for *_, event, _bf, _key in notices()] == expected


def test_no_notice_about_a_teen_with_only_a_family_level_inform_school_consent(world):
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    draft = new_referral(world, child=world.teen)

    bring_to(world, draft, Status.ACCEPTED)

    assert notices() == []


def test_notice_about_a_teen_with_their_own_inform_school_consent(world):
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)
    world.give(ConsentScope.INFORM_SCHOOL, world.school, child=world.teen)
    draft = new_referral(world, child=world.teen)

    bring_to(world, draft, Status.ACCEPTED)

    assert notices() == [
        (world.school.pk, world.teen.pk, None, "picked_up", world.bridge.pk, f"referral:{draft.pk}:picked_up")
    ]


def test_no_notice_for_a_referral_about_the_whole_family(world):
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    draft = new_referral(world)

    bring_to(world, draft, Status.IN_PROGRESS)

    assert notices() == []


def test_no_permission_notice_once_when_the_school_asked_without_consent(world, referral):
    request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    Referral.objects.filter(pk=referral.pk).update(school_request=request, source=Referral.Source.SCHOOL)

    bring_to(world, referral, Status.SENT)
    assert notices() == []

    act(world, referral, "accept")
    expected = [
        (
            world.school.pk,
            None,
            request.pk,
            "no_permission",
            world.bridge.pk,
            f"school_request:{request.pk}:no_permission",
        )
    ]
    assert notices() == expected

    for action in ["put_on_waiting_list", "record_contact", "start", "close"]:
        act(world, referral, action)
    assert notices() == expected


def test_no_notice_when_another_school_asked_without_consent(world, referral):
    request = f.SchoolRequestFactory(school=world.other_school, created_by=world.other_school_coordinator)
    Referral.objects.filter(pk=referral.pk).update(school_request=request, source=Referral.Source.SCHOOL)

    bring_to(world, referral, Status.IN_PROGRESS)

    assert notices() == []


def test_school_request_with_consent_gets_the_ordinary_notices(world, referral):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    Referral.objects.filter(pk=referral.pk).update(school_request=request, source=Referral.Source.SCHOOL)

    bring_to(world, referral, Status.ACCEPTED)

    assert notices() == [
        (
            world.school.pk,
            world.child.pk,
            None,
            "picked_up",
            world.bridge.pk,
            f"referral:{referral.pk}:picked_up",
        )
    ]
