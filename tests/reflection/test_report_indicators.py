"""The network report's numbers (DESIGN.md §8), worked out by hand for the small network of
report_world.py, with small-number suppression; its query count; and that no person is named."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from families.models import Child, ContactMoment, Guardian
from partners.models import NeedDomain, Organisation
from referrals.models import Referral, ReferralEvent, SchoolRequest
from reflection.models import Signal
from reflection.report.indicators import build_report, default_period
from reflection.report.structure import NetworkReport
from village.models import User

from . import report_world
from .report_world import END, START
from .test_report_suppression import assert_count_cells_safe

pytestmark = pytest.mark.django_db


def texts(report: NetworkReport) -> dict[str, list[tuple[str, list[str]]]]:
    return {
        table.key: [(row.label, [cell.text for cell in row.cells]) for row in table.rows]
        for table in report.tables()
    }


def zeros(width: int) -> list[str]:
    return ["0"] * width


def by_kind(special: dict[str, list[str]], zero: list[str]) -> list[tuple[str, list[str]]]:
    with translation.override("en"):
        labels = {kind: str(label) for kind, label in Organisation.Kind.choices}
    return [(labels[kind], special.get(kind, zero)) for kind in Organisation.Kind.values]


def test_default_period_is_the_school_year():
    assert default_period(datetime.date(2026, 11, 22)) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
    )
    assert default_period(datetime.date(2026, 8, 31)) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    assert default_period(datetime.date(2026, 9, 1)) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
    )


def test_every_table_by_hand_with_k_3(world):
    hand = report_world.build(world)
    calls = []
    report = build_report(start=START, end=END, language="en", k=3, progress=lambda *a: calls.append(a))
    got = texts(report)

    assert report.network == "Gemeente Zonnedorp"
    assert (report.period_start, report.period_end, report.k, report.language) == (START, END, 3, "en")
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    with translation.override("en"):
        domains = {d.code: d.label for d in NeedDomain.objects.all()}
        domain_order = list(NeedDomain.objects.order_by("order", "code").values_list("code", flat=True))
        items = [(item.label, item.code) for item in hand.items]
    x, y = hand.items[0].code, hand.items[1].code

    # Families: new F2, F3; continuing F1, F5. "<3" + "<3" = 4 can only be 2 + 2, so the total is hidden.
    assert got["reach-families"] == [("New", ["<3"]), ("Continuing", ["<3"]), ("Total", ["×"])]
    # Children [new, continuing]: 0-5 c1 [0,1]; 6-11 c5 | c2 c7 c8 [1,3]; 12-15 c4 [1,0]; 16+ c3 [1,0].
    assert got["reach-children-age"] == [
        ("0 to 5 years", ["0", "<3", "<3"]),
        ("6 to 11 years", ["<3", "×", "×"]),
        ("12 to 15 years", ["<3", "0", "<3"]),
        ("16 years and older", ["<3", "0", "<3"]),
        ("Total", ["×", "×", "7"]),
    ]
    # primary: c4 c5 | c1 c8 [2,2]; secondary: c2 c7 [0,2]; no school: c3 [1,0].
    assert got["reach-children-school-level"] == [
        ("nursery", ["0", "0", "0"]),
        ("primary", ["<3", "<3", "×"]),
        ("nursery and primary", ["0", "0", "0"]),
        ("secondary", ["0", "<3", "<3"]),
        ("no school known", ["<3", "0", "<3"]),
        ("Total", ["×", "×", "7"]),
    ]
    assert got["reach-anonymous"] == [("Without a family file", ["3"])]

    # [with a family, anonymous]: gate [1,2], office hour [0,1], home visit [1,0]; totals [2,3] 5.
    assert got["contact-moments-kind"] == [
        ("at the school gate", ["<3", "<3", "×"]),
        ("office hour at school", ["0", "<3", "<3"]),
        ("home visit", ["<3", "0", "<3"]),
        ("phone or message", zeros(3)),
        ("accompanied to an appointment", zeros(3)),
        ("parent–teacher meeting", zeros(3)),
        ("group activity", zeros(3)),
        ("Total", ["<3", "×", "5"]),
    ]
    # Atheneum 1, De Linde 3, no school 1: "<3" + "<3" = 2 would give De Linde away.
    assert got["contact-moments-place"] == [
        ("Atheneum Zonnedorp", ["<3"]),
        ("Basisschool De Linde", ["×"]),
        ("not at a school", ["<3"]),
        ("Total", ["5"]),
    ]
    assert got["schools-covered"] == [
        ("Schools in the network", ["3"]),
        ("With a bridge figure as contact point", ["<3"]),
        ("With contact moments in the period", ["<3"]),
    ]
    assert got["school-requests"] == [
        ("open", ["<3"]),
        ("picked up", ["<3"]),
        ("handled", ["<3"]),
        ("Total", ["4"]),
    ]
    # Picked up after 1, 3 and 2 days.
    assert got["school-requests-pick-up"] == [("Picked up", ["3", "2.0"])]

    # learning 3, leisure 2, money 2, housing 1, parenting 1: no total (several domains per referral).
    expected_domains = {
        "learning_homework": "3",
        "leisure": "<3",
        "money_rights": "<3",
        "housing": "<3",
        "parenting": "<3",
    }
    assert got["referrals-need-domain"] == [
        (domains[code], [expected_domains.get(code, "0")]) for code in domain_order
    ]
    # [accepted, declined, no answer]: welfare [0,1,1], leisure [3,0,0], social service [1,0,1]; totals [4,1,2] 7.
    assert got["referrals-organisation-kind"] == by_kind(
        {
            "welfare": ["0", "<3", "<3", "<3"],
            "leisure_learning": ["×", "0", "0", "×"],
            "public_social_service": ["<3", "0", "<3", "<3"],
        },
        zeros(4),
    ) + [("Total", ["4", "<3", "<3", "7"])]
    assert got["referral-funnel"] == [
        ("Sent", ["7", "100%"]),
        ("Accepted (also when later put on a waiting list, started or closed)", ["4", "57%"]),
        ("Contact made with the family", ["3", "43%"]),
        ("Closed", ["<3", "×"]),
    ]
    # On time 4, late 1, withdrawn 1, waiting 1: three "<3" adding up to 3 are 1 each, so 4 hides too.
    assert got["referral-answers"] == [
        ("Answered within 5 working days", ["×"]),
        ("Answered later", ["<3"]),
        ("Withdrawn before an answer", ["<3"]),
        ("Still waiting for an answer", ["<3"]),
        ("Total", ["7"]),
    ]
    # Answers after 2, 4, 8, 1, 2 days; first contact after 7, 45, 2 days.
    assert got["referral-speed"] == [
        ("From sending to the answer", ["5", "2.0"]),
        ("From sending to the first contact", ["3", "7.0"]),
    ]
    assert got["referral-warmth"] == [
        ("family informed about the offer", ["<3"]),
        ("details passed on to a named contact", ["3"]),
        ("appointment made together", ["<3"]),
        ("accompanied to the first meeting", ["<3"]),
        ("Total", ["7"]),
    ]
    assert got["referral-decline-reasons"] == [
        ("outside our target group", ["0"]),
        ("no capacity now", ["<3"]),
        ("another offer fits better", ["0"]),
        ("already supported by us or another service", ["0"]),
        ("question not clear enough", ["0"]),
        ("other reason", ["0"]),
        ("Total", ["<3"]),
    ]
    assert got["referral-outcomes"] == [
        ("resolved", ["<3"]),
        ("partly resolved", ["<3"]),
        ("not resolved", ["0"]),
        ("the family stopped", ["0"]),
        ("referred on", ["0"]),
        ("no longer needed", ["0"]),
        ("could not reach the family", ["0"]),
        ("Total", ["<3"]),
    ]
    # yes 1, partly 1, not asked 1: the total 3 would say each is 1.
    assert got["referral-follow-up"] == [
        ("yes, this was what they expected", ["<3"]),
        ("partly", ["<3"]),
        ("no", ["0"]),
        ("not the right place", ["0"]),
        ("not followed up yet (contact made)", ["<3"]),
        ("Total", ["×"]),
    ]
    # On 31 August 2026: two referrals to the homework club wait (363 and 118 days): too few for a median.
    assert got["waiting-lists"] == by_kind({"leisure_learning": ["<3", "–"]}, ["0", "–"]) + [
        ("Total", ["<3", "–"])
    ]
    assert got["stale-referrals"] == [("Sent and still unanswered", ["<3"])]

    # homework club [verified 2, not 1], leisure [0, 1], material support [1, 0]; totals [3, 2] 5.
    assert got["offers"] == [
        ("wellbeing service", zeros(3)),
        ("homework club", ["<3", "<3", "×"]),
        ("summer school", zeros(3)),
        ("leisure activity", ["0", "<3", "<3"]),
        ("material support", ["<3", "0", "<3"]),
        ("rights and allowances", zeros(3)),
        ("parenting support", zeros(3)),
        ("health and therapy", zeros(3)),
        ("language support", zeros(3)),
        ("other", zeros(3)),
        ("Total", ["×", "<3", "5"]),
    ]

    # Spring 2026 against Autumn 2025; Autumn 2026 lies after the period, "Still open" is open.
    special = {x: ["4", "growing", "first steps", "+1 step"], y: ["<3", "–", "–", "–"]}
    assert got["reflection-homework_support"] == [
        (label, special.get(code, ["0", "–", "–", "–"])) for label, code in items
    ]
    table = next(t for t in report.tables() if t.key == "reflection-homework_support")
    assert table.title.endswith(": Spring 2026")
    assert "Autumn 2025" in table.note
    assert [t.key for t in report.tables() if t.key.startswith("reflection-")] == [
        "reflection-homework_support"
    ]
    # [new, taken up, resolved, not resolvable]: legal [1,1,0,0], between sectors [0,1,0,0], within [0,0,1,0].
    assert got["signals"] == [
        ("within an organisation", ["0", "0", "<3", "0", "<3"]),
        ("legal or regulatory", ["<3", "<3", "0", "0", "<3"]),
        ("between organisations of one sector", zeros(5)),
        ("between sectors", ["0", "<3", "0", "0", "<3"]),
        ("Total", ["<3", "<3", "<3", "0", "4"]),
    ]
    assert got["signals-taken-up"] == [
        ("Gemeente Zonnedorp", ["<3"]),
        ("Huiswerkklas De Brug", ["<3"]),
        ("Total", ["3"]),
    ]
    assert [s.key for s in report.sections] == [
        "reach",
        "bridge-work",
        "referrals",
        "catalogue",
        "reflection",
    ]
    assert set(got) == {t.key for t in report.tables()}  # keys are unique: they name the CSV files
    # Every table is checked above (24 tables, unique keys).
    assert [t.key for t in report.tables()] == [
        *("reach-families", "reach-children-age", "reach-children-school-level", "reach-anonymous"),
        *("contact-moments-kind", "contact-moments-place", "schools-covered", "school-requests"),
        "school-requests-pick-up",
        *("referrals-need-domain", "referrals-organisation-kind", "referral-funnel", "referral-answers"),
        *("referral-speed", "referral-warmth", "referral-decline-reasons", "referral-outcomes"),
        *("referral-follow-up", "waiting-lists", "stale-referrals", "offers"),
        *("reflection-homework_support", "signals", "signals-taken-up"),
    ]
    assert_count_cells_safe(report)


def test_default_k_5_hides_small_groups(world, settings):
    """The default k (5) on a small world: counts of 1..4 hide, medians of fewer than 5 too."""
    settings.VILLAGE_SUPPRESSION_K = 5
    report_world.build(world)
    report = build_report(start=START, end=END, language="en")
    got = texts(report)
    assert report.k == 5
    assert got["reach-families"] == [("New", ["<5"]), ("Continuing", ["<5"]), ("Total", ["<5"])]
    assert got["reach-children-age"] == [
        ("0 to 5 years", ["0", "<5", "<5"]),
        ("6 to 11 years", ["<5", "<5", "<5"]),
        ("12 to 15 years", ["<5", "0", "<5"]),
        ("16 years and older", ["<5", "0", "<5"]),
        ("Total", ["<5", "<5", "7"]),
    ]
    assert got["reach-anonymous"] == [("Without a family file", ["<5"])]
    assert got["contact-moments-place"] == [
        ("Atheneum Zonnedorp", ["<5"]),
        ("Basisschool De Linde", ["<5"]),
        ("not at a school", ["<5"]),
        ("Total", ["5"]),
    ]
    assert got["school-requests-pick-up"] == [("Picked up", ["<5", "–"])]
    assert got["referral-funnel"] == [
        ("Sent", ["7", "100%"]),
        ("Accepted (also when later put on a waiting list, started or closed)", ["<5", "×"]),
        ("Contact made with the family", ["<5", "×"]),
        ("Closed", ["<5", "×"]),
    ]
    assert got["referral-speed"] == [
        ("From sending to the answer", ["5", "2.0"]),
        ("From sending to the first contact", ["<5", "–"]),
    ]
    assert got["referral-answers"] == [
        ("Answered within 5 working days", ["<5"]),
        ("Answered later", ["<5"]),
        ("Withdrawn before an answer", ["<5"]),
        ("Still waiting for an answer", ["<5"]),
        ("Total", ["7"]),
    ]
    assert got["signals-taken-up"] == [
        ("Gemeente Zonnedorp", ["<5"]),
        ("Huiswerkklas De Brug", ["<5"]),
        ("Total", ["<5"]),
    ]
    reflection = dict(got["reflection-homework_support"])
    assert reflection[report_world_item_label(report_world, 0)] == ["<5", "–", "–", "–"]
    assert_count_cells_safe(report)


def report_world_item_label(module, index: int) -> str:
    from reflection.models import Item

    with translation.override("en"):
        return list(Item.objects.filter(framework__code="homework_support").order_by("order", "code"))[
            index
        ].label


def test_report_names_no_person_and_no_free_text(world):
    """Names of people and every free text about families or barriers are marked; none is printed."""
    report_world.build(world)
    User.objects.update(full_name="Secretperson")
    Guardian.objects.update(first_name="Secretguardian", last_name="Secretsurname")
    Child.objects.update(first_name="Secretchild", last_name="Secretsurname")
    SchoolRequest.objects.update(
        pupil_first_name="Secretpupil", pupil_last_name="Secretsurname", reason="Secret"
    )
    Referral.objects.update(
        question="Secret question", receiving_contact="Secretcontact", decline_note="Secret"
    )
    ReferralEvent.objects.update(note="Secret note")
    ContactMoment.objects.update(note="Secret note", place="Secretplace")
    Signal.objects.update(what="Secret barrier", where="Secretplace", follow_up="Secret follow-up")
    report = build_report(start=START, end=END, language="en", k=3)
    printed = " ".join(
        [report.network]
        + [term + " " + text for term, text in report.definitions]
        + [
            " ".join(
                [
                    section.title,
                    section.intro,
                    *(
                        " ".join([t.title, t.note, t.row_header, *t.columns, *(r.label for r in t.rows)])
                        + " ".join(c.text for r in t.rows for c in r.cells)
                        for t in section.tables
                    ),
                ]
            )
            for section in report.sections
        ]
    )
    assert "Basisschool De Linde" in printed  # organisations are named
    assert "Secret" not in printed


def test_report_in_dutch_formats_medians_with_a_comma(world):
    report_world.build(world)
    report = build_report(start=START, end=END, language="nl", k=3)
    speed = next(t for t in report.tables() if t.key == "referral-speed")
    assert [c.text for c in speed.rows[0].cells] == ["5", "2,0"]
    assert report.language == "nl"


def test_query_count_does_not_grow_with_the_network(world):
    report_world.build(world)
    with CaptureQueriesContext(connection) as small:
        build_report(start=START, end=END, language="en", k=3)
    with CaptureQueriesContext(connection) as other_period:
        build_report(start=datetime.date(2024, 9, 1), end=datetime.date(2026, 12, 31), language="en", k=3)
    for _ in range(4):
        report_world.build_more(world)
    with CaptureQueriesContext(connection) as large:
        build_report(start=START, end=END, language="en", k=3)
    assert len(small) == len(other_period) == len(large)
    assert len(small) < 30  # a few per section, not a few per row
