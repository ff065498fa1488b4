"""The spread per item, the change since the previous round, the agenda, and the report summary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reflection import actions
from reflection.models import Response
from reflection.spread import agenda, spreads
from reflection.summary import latest_rounds_summary, signals_summary

from .factories import a_round, answer, close, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(world):
    people = [world.partner, world.outsider, world.school_coordinator]
    first = a_round(world, title="Autumn", participants=people, opened_at=days_ago(200))
    answer(first, world.partner, {"a1": "not_yet", "b1": "growing"})
    answer(first, world.outsider, {"a1": "not_yet", "b1": "growing"})
    close(world, first)
    second = a_round(world, title="Spring", participants=people)
    answer(second, world.partner, {"a1": "growing", "b1": "growing", "c1": "embedded"})
    answer(second, world.outsider, {"a1": "growing", "b1": "growing", "c1": "not_yet"})
    answer(second, world.school_coordinator, {"a1": "first_steps", "b1": "dont_know", "c1": "first_steps"})
    close(world, second)
    return first, second


def test_spread_counts_levels_kinds_and_change(two_rounds):
    first, second = two_rounds
    by_code = {s.item.code: s for s in spreads(second, Response.objects.all())}
    a1 = by_code["a1"]
    assert {str(level.level): level.count for level in a1.levels} == {
        "not_yet": 0,
        "first_steps": 1,
        "growing": 2,
        "embedded": 0,
    }
    assert a1.middle == "growing" and a1.previous_middle == "not_yet" and a1.change == 2
    assert by_code["b1"].dont_know == 1 and by_code["b1"].change == 0 and by_code["b1"].disagreement == 0
    assert sum(level.width for level in a1.levels) == pytest.approx(100)
    assert by_code["c1"].previous_middle is None and by_code["c1"].change is None
    assert [s.item.code for s in agenda(list(by_code.values()))] == ["c1", "a1"]


def test_latest_rounds_summary_is_aggregates_only(world, two_rounds):
    actions.add_action_point(
        round_=two_rounds[1],
        description="Joint training",
        owner=world.partner_org,
        due_on=datetime.date(2027, 5, 1),
        by=world.network_coordinator,
    )
    summary = latest_rounds_summary()
    assert [entry["round"] for entry in summary] == ["Spring"]
    vrac = summary[0]
    assert vrac["previous_round"] == "Autumn" and vrac["participants"] == 3
    assert vrac["action_points"] == {"open": 1}
    a1 = next(item for item in vrac["items"] if item["code"] == "a1")
    assert a1["counts"]["growing"] == 2 and a1["change"] == 2
    text = repr(summary)
    for person in (world.partner, world.outsider, world.school_coordinator, world.network_coordinator):
        assert person.email not in text and person.get_full_name() not in text


def test_signals_summary_counts_by_type_and_status(world):
    first = actions.log_signal(what="Mandates", where="CLB", barrier_type="legal", by=world.bridge)
    actions.log_signal(
        what="Competition", where="Homework clubs", barrier_type="within_sector", by=world.partner
    )
    actions.assign_signal(signal=first, organisation=world.municipality, by=world.network_coordinator)
    summary = signals_summary()
    assert summary["total"] == 2
    assert summary["by_barrier_type"] == {"legal": 1, "within_sector": 1}
    assert summary["by_status"] == {"taken_up": 1, "new": 1}
    assert summary["signals"][0]["taken_up_by"] == world.municipality.name
    assert world.bridge.email not in repr(summary) and world.bridge.get_full_name() not in repr(summary)


def test_answers_cannot_change_after_closing(world):
    round_ = a_round(world, participants=[world.partner])
    close(world, round_)
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        answer(round_, world.partner, {"a1": "growing"})
