"""A small network, built by hand, whose report (school year 2025-2026) is worked out by hand in
tests/reflection/test_report_indicators.py. Every date is fixed, so the numbers do not depend on
the day the tests run (except offers, verified relative to today on purpose).

Families of the bridge team (created; activity in the period):
  F1 created 2025-06-01, contact moment 2025-10-01          continuing; children c1 (2021, De Linde),
                                                              c2 (15 Sep 2014, Atheneum)
  F2 created 2025-10-10, referrals sent in the period       new; c3 (2010, no school), c4 (31 Aug 2012, De Linde)
  F3 created 2025-09-05, contact moment, anonymised         new; c5 (2019, De Linde)
  F4 created 2024-01-01, contact moment 2025-08-31 only     not reached; c6
  F5 created 2025-01-01, only a referral event 2025-09-03   continuing; c7 (2015, Atheneum), c8 (31 Aug 2020, Het Anker)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from families.actions import anonymise_family
from families.models import ContactMoment
from partners.models import Organisation
from referrals.models import Referral, ReferralEvent, SchoolRequest
from reflection.models import Item, Signal
from tests import factories as f
from tests.reflection.factories import a_round, answer, close

START = datetime.date(2025, 9, 1)
END = datetime.date(2026, 8, 31)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@dataclass
class HandWorld:
    atheneum: Organisation
    ocmw: Organisation
    items: list[Item]


def referral(
    world, family, organisation, *, warmth: int, domains: list[str], status: str, **fields
) -> Referral:
    made = f.ReferralFactory(
        family=family,
        receiving_organisation=organisation,
        created_by=world.bridge,
        warmth=warmth,
        need_domains=[f.need_domain(code) for code in domains],
    )
    Referral.objects.filter(pk=made.pk).update(status=status, **fields)
    if fields.get("sent_at"):
        ReferralEvent.objects.create(
            referral=made,
            action="send",
            from_status="draft",
            to_status="sent",
            at=fields["sent_at"],
            by=world.bridge,
        )
    if fields.get("answered_at"):
        ReferralEvent.objects.create(
            referral=made,
            action="accept",
            from_status="sent",
            to_status="accepted",
            at=fields["answered_at"],
            by=world.partner,
        )
    return made


def build(world, suffix: str = "") -> HandWorld:
    """The hand-computed network; `suffix` builds one more copy (new organisations' names), for the
    query-count test."""
    team = world.team
    atheneum = f.SchoolFactory(
        name=f"Atheneum Zonnedorp{suffix}", school_level=Organisation.SchoolLevel.SECONDARY
    )
    ocmw = f.OrganisationFactory(name=f"OCMW Zonnedorp{suffix}", kind=Organisation.Kind.PUBLIC_SOCIAL_SERVICE)
    linde, anker = world.school, world.other_school

    def family(created, **kwargs):
        return f.FamilyFactory(holding_team=team, created_at=created, **kwargs)

    f1 = family(at(2025, 6, 1))
    f2 = family(at(2025, 10, 10))
    f3 = family(at(2025, 9, 5))
    f4 = family(at(2024, 1, 1))
    f5 = family(at(2025, 1, 1))
    f.ChildFactory(family=f1, birth_year=2021, school=linde)
    f.ChildFactory(family=f1, birth_year=2014, birth_date=datetime.date(2014, 9, 15), school=atheneum)
    f.ChildFactory(family=f2, birth_year=2010, school=None)
    f.ChildFactory(family=f2, birth_year=2012, birth_date=datetime.date(2012, 8, 31), school=linde)
    f.ChildFactory(family=f3, birth_year=2019, birth_date=datetime.date(2019, 12, 1), school=linde)
    anonymise_family(family=f3)  # keeps the birth year and the school; reports still count it
    f.ChildFactory(family=f4, birth_year=2018, school=linde)
    f.ChildFactory(family=f5, birth_year=2015, school=atheneum)
    f.ChildFactory(family=f5, birth_year=2020, birth_date=datetime.date(2020, 8, 31), school=anker)

    def moment(day, kind, school=None, family=None):
        f.ContactMomentFactory(
            team=team, bridge_figure=world.bridge, happened_on=day, kind=kind, school=school, family=family
        )

    kind = ContactMoment.Kind
    moment(datetime.date(2025, 10, 1), kind.SCHOOL_GATE, linde, f1)
    moment(datetime.date(2026, 3, 2), kind.HOME_VISIT, None, f3)
    moment(datetime.date(2025, 11, 12), kind.SCHOOL_GATE, linde)
    moment(datetime.date(2026, 1, 20), kind.OFFICE_HOUR, atheneum)
    moment(datetime.date(2026, 2, 3), kind.SCHOOL_GATE, linde)
    moment(datetime.date(2025, 8, 31), kind.PHONE, None, f4)  # the day before the period
    moment(datetime.date(2026, 9, 1), kind.PHONE)  # the day after

    def request(created, status, picked_up=None):
        f.SchoolRequestFactory(
            school=linde,
            created_by=world.school_coordinator,
            created_at=created,
            status=status,
            picked_up_at=picked_up,
        )

    status = SchoolRequest.Status
    request(at(2025, 10, 6), status.HANDLED, at(2025, 10, 7))
    request(at(2026, 1, 5, 10), status.PICKED_UP, at(2026, 1, 8, 10))
    request(at(2026, 5, 4), status.OPEN)
    request(at(2026, 2, 2, 8), status.PICKED_UP, at(2026, 2, 4, 8))
    request(at(2025, 7, 1), status.PICKED_UP, at(2025, 9, 2))  # asked before the period

    leisure, welfare = world.partner_org, world.outsider_org
    d = datetime.date
    referral(
        world, f2, leisure, warmth=3, domains=["learning_homework", "leisure"], status="closed",
        sent_at=at(2025, 11, 3, 10), respond_by=d(2025, 11, 10), answered_at=at(2025, 11, 5, 10),
        contact_made_on=d(2025, 11, 10), started_at=at(2025, 11, 12), closed_at=at(2025, 12, 15),
        outcome="resolved", follow_up_result="yes", followed_up_at=at(2026, 1, 10),
    )  # fmt: skip
    referral(
        world, f1, leisure, warmth=2, domains=["learning_homework"], status="in_progress",
        sent_at=at(2025, 10, 6), respond_by=d(2025, 10, 13), answered_at=at(2025, 10, 10),
        waiting_since=at(2025, 10, 10), contact_made_on=d(2025, 11, 20), started_at=at(2025, 11, 21),
    )  # fmt: skip
    referral(
        world, f1, welfare, warmth=1, domains=["learning_homework", "money_rights"], status="declined",
        sent_at=at(2026, 1, 12), respond_by=d(2026, 1, 19), answered_at=at(2026, 1, 20), decline_reason="no_capacity",
    )  # fmt: skip
    referral(
        world, f3, ocmw, warmth=4, domains=["money_rights"], status="closed",
        sent_at=at(2026, 3, 2), respond_by=d(2026, 3, 9), answered_at=at(2026, 3, 3), contact_made_on=d(2026, 3, 4),
        closed_at=at(2026, 4, 1), outcome="partly_resolved", follow_up_result="partly", followed_up_at=at(2026, 5, 1),
    )  # fmt: skip
    referral(
        world, f1, welfare, warmth=2, domains=["housing"], status="sent",
        sent_at=at(2026, 6, 1), respond_by=d(2026, 6, 8),
    )  # fmt: skip
    referral(
        world, f5, leisure, warmth=2, domains=["leisure"], status="waiting",
        sent_at=at(2025, 8, 20), respond_by=d(2025, 8, 27), answered_at=at(2025, 9, 3, 0), waiting_since=at(2025, 9, 3, 0),
    )  # fmt: skip
    referral(
        world, f2, ocmw, warmth=1, domains=["parenting"], status="withdrawn",
        sent_at=at(2026, 4, 13), respond_by=d(2026, 4, 20), withdrawn_at=at(2026, 4, 14),
    )  # fmt: skip
    referral(
        world, f3, leisure, warmth=2, domains=["leisure"], status="waiting",
        sent_at=at(2026, 5, 4), respond_by=d(2026, 5, 11), answered_at=at(2026, 5, 6), waiting_since=at(2026, 5, 6, 0),
    )  # fmt: skip
    referral(world, f2, leisure, warmth=2, domains=["leisure"], status="draft")
    referral(
        world, f1, welfare, warmth=2, domains=["housing"], status="sent",
        sent_at=at(2026, 9, 10), respond_by=d(2026, 9, 17),
    )  # fmt: skip

    today = timezone.localdate()
    f.OfferFactory(organisation=leisure, kind="homework_club", verified_at=today)
    f.OfferFactory(organisation=leisure, kind="homework_club", verified_at=d(2024, 1, 1))
    f.OfferFactory(organisation=leisure, kind="leisure", verified_at=None)
    f.OfferFactory(organisation=welfare, kind="homework_club", verified_at=today)
    f.OfferFactory(organisation=welfare, kind="material_support", verified_at=today)
    f.OfferFactory(organisation=welfare, kind="leisure", verified_at=today, active=False)

    def signal(logged, barrier, state, taken_up_by=None):
        Signal.objects.create(
            what="Homework clubs close in the holidays",
            where="Zonnedorp",
            barrier_type=barrier,
            status=state,
            taken_up_by=taken_up_by,
            logged_by=world.network_coordinator,
            logged_at=logged,
        )

    b, s = Signal.BarrierType, Signal.Status
    signal(at(2025, 10, 1), b.LEGAL, s.NEW)
    signal(at(2025, 11, 1), b.LEGAL, s.TAKEN_UP, world.municipality)
    signal(at(2026, 2, 1), b.BETWEEN_SECTORS, s.TAKEN_UP, world.municipality)
    signal(at(2026, 4, 1), b.WITHIN_ORGANISATION, s.RESOLVED, leisure)
    signal(at(2025, 5, 1), b.LEGAL, s.NEW)  # before the period

    people = [world.bridge, world.colleague, world.partner, world.outsider]
    framework = "homework_support"

    def held_round(title, opened, answers_by_person):
        round_ = a_round(world, framework=framework, title=title, participants=people, opened_at=opened)
        for person, levels in answers_by_person.items():
            answer(round_, person, levels)
        close(world, round_)

    items = list(Item.objects.filter(framework__code=framework).order_by("order", "code"))
    x, y = items[0].code, items[1].code
    held_round(
        "Autumn 2025",
        at(2025, 10, 1),
        {
            world.bridge: {x: "first_steps", y: "embedded"},
            world.colleague: {x: "growing"},
            world.partner: {x: "not_yet"},
        },
    )
    held_round(
        "Spring 2026",
        at(2026, 3, 1),
        {
            world.bridge: {x: "growing", y: "growing"},
            world.colleague: {x: "growing", y: "embedded"},
            world.partner: {x: "embedded"},
            world.outsider: {x: "dont_know"},
        },
    )
    held_round(
        "Autumn 2026", at(2026, 10, 1), {world.bridge: {x: "not_yet"}, world.colleague: {x: "not_yet"}}
    )
    # An open round in the period is not reported.
    a_round(world, framework=framework, title="Still open", participants=people, opened_at=at(2026, 5, 1))
    return HandWorld(atheneum=atheneum, ocmw=ocmw, items=items)


_copies = [0]


def build_more(world) -> HandWorld:
    """One more copy of everything in `build` (a bigger network, same shape)."""
    _copies[0] += 1
    return build(world, suffix=f" {_copies[0]}")
