"""Pages that list things keep a flat number of queries, and a round shows the follow-up of the
previous round's action points."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflection import actions

from .factories import a_round, answer, close, days_ago

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_signal_list_queries_hold_with_1_and_50_signals(client, world):
    actions.log_signal(what="First", where="Here", barrier_type="legal", by=world.partner)
    client.force_login(world.network_coordinator)
    url = reverse("reflection:signal_list")
    one = _queries(client, url)
    for number in range(49):
        signal = actions.log_signal(
            what=f"Signal {number}", where="Here", barrier_type="legal", by=world.partner
        )
        actions.assign_signal(signal=signal, organisation=world.municipality, by=world.network_coordinator)
    assert _queries(client, url) == one


def test_closed_round_page_queries_hold_with_more_answers(client, world):
    round_ = a_round(world, participants=[world.partner])
    answer(round_, world.partner, {"a1": "growing"})
    close(world, round_)
    client.force_login(world.bridge)
    url = reverse("reflection:round_detail", args=[round_.pk])
    few = _queries(client, url)

    people = [world.partner, world.outsider, world.school_coordinator, world.bridge, world.colleague]
    bigger = a_round(world, participants=people)
    for person in people:
        answer(
            bigger, person, dict.fromkeys(["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"], "growing")
        )
    close(world, bigger)
    assert (
        _queries(client, reverse("reflection:round_detail", args=[bigger.pk])) <= few + 4
    )  # + previous round


def test_next_round_shows_the_follow_up_of_action_points(client, world):
    first = a_round(world, title="Autumn", participants=[world.partner], opened_at=days_ago(100))
    close(world, first)
    point = actions.add_action_point(
        round_=first,
        description="Write down the shared vision",
        owner=world.partner_org,
        due_on=datetime.date(2027, 2, 1),
        by=world.network_coordinator,
    )
    actions.follow_up_action_point(
        action_point=point,
        status="done",
        follow_up="Text adopted by all partners",
        by=world.network_coordinator,
    )
    second = a_round(world, title="Spring", participants=[world.partner])
    client.force_login(world.partner)
    page = client.get(reverse("reflection:round_detail", args=[second.pk])).content.decode()
    assert "Write down the shared vision" in page and "Text adopted by all partners" in page
    assert world.partner_org.name in page
