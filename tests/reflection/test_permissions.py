"""Who sees what of the network's reflection: members see rounds, action points and signals; a
participant sees only their own answers until the round closes; only network coordinators open,
close, invite and assign; nobody outside the memberships sees anything (404)."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from partners.models import Organisation
from reflection import actions
from reflection.models import ActionPoint, Framework, Item, Response, Round, Signal

from .factories import a_round, answer, close, ensure_frameworks, membership

pytestmark = pytest.mark.django_db

MEMBERS = [
    "bridge",
    "colleague",
    "other_bridge",
    "partner",
    "outsider",
    "school_coordinator",
    "other_school_coordinator",
    "network_coordinator",
]
NOT_COORDINATORS = [name for name in MEMBERS if name != "network_coordinator"]


@pytest.fixture
def answered(world):
    """An open round where the partner and the outsider answered, with marker evidence."""
    round_ = a_round(world, title="Round-Marker", participants=[world.partner, world.outsider])
    answer(round_, world.partner, {"a1": "growing"}, evidence="PARTNER-SECRET-EVIDENCE")
    answer(round_, world.outsider, {"a1": "not_yet"}, evidence="OUTSIDER-SECRET-EVIDENCE")
    return round_


@pytest.mark.parametrize("name", MEMBERS + ["administrator"])
def test_rounds_visible_to_members_only(world, answered, name):
    user = world.everyone[name]
    expected = {answered.pk} if name in MEMBERS else set()
    assert set(Round.objects.visible_to(user).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("name", MEMBERS + ["administrator"])
def test_round_page_is_not_found_outside_the_network(client, world, answered, name):
    client.force_login(world.everyone[name])
    expected = 200 if name in MEMBERS else 404
    assert client.get(reverse("reflection:round_detail", args=[answered.pk])).status_code == expected
    assert client.get(reverse("reflection:index")).status_code == expected
    assert client.get(reverse("reflection:signal_list")).status_code == expected


def test_participant_sees_only_own_answers_while_open(client, world, answered):
    partner_answers = set(
        answered.responses.filter(participant__user=world.partner).values_list("pk", flat=True)
    )
    assert set(Response.objects.visible_to(world.partner).values_list("pk", flat=True)) == partner_answers
    assert set(Response.objects.visible_to(world.network_coordinator)) == set()
    assert set(Response.objects.visible_to(world.administrator)) == set()

    client.force_login(world.partner)
    for url in (
        reverse("reflection:round_answer", args=[answered.pk]),
        reverse("reflection:round_detail", args=[answered.pk]),
    ):
        page = client.get(url).content.decode()
        assert "OUTSIDER-SECRET-EVIDENCE" not in page
    assert (
        "PARTNER-SECRET-EVIDENCE"
        in client.get(reverse("reflection:round_answer", args=[answered.pk])).content.decode()
    )

    client.force_login(world.network_coordinator)
    page = client.get(reverse("reflection:round_detail", args=[answered.pk])).content.decode()
    assert 'id="agenda"' not in page  # no spread while open


def test_everyone_in_the_network_sees_the_spread_after_closing(client, world, answered):
    close(world, answered)
    everything = set(answered.responses.values_list("pk", flat=True))
    for name in MEMBERS:
        assert (
            set(Response.objects.visible_to(world.everyone[name]).values_list("pk", flat=True)) == everything
        )
    assert set(Response.objects.visible_to(world.administrator)) == set()

    client.force_login(world.bridge)
    page = client.get(reverse("reflection:round_detail", args=[answered.pk])).content.decode()
    assert 'id="agenda"' in page
    # attributed to kinds of organisation, never to persons or organisations by name
    with translation.override("nl"):
        kinds = [str(Organisation.Kind.LEISURE_LEARNING.label), str(Organisation.Kind.WELFARE.label)]
    assert all(kind in page for kind in kinds)
    for person in (world.partner, world.outsider):
        assert person.email not in page
        assert person.get_full_name() not in page
    assert world.partner_org.name not in page


def test_answer_page_is_not_found_for_members_not_invited(client, world, answered):
    client.force_login(world.bridge)
    assert client.get(reverse("reflection:round_answer", args=[answered.pk])).status_code == 404


@pytest.mark.parametrize("name", NOT_COORDINATORS)
def test_only_the_network_coordinator_manages_rounds(client, world, answered, name):
    ensure_frameworks()
    signal = actions.log_signal(what="Barrier", where="Here", barrier_type="legal", by=world.partner)
    client.force_login(world.everyone[name])
    vrac = Framework.objects.get(code="vrac")
    posts = [
        (reverse("reflection:round_open"), {"framework": vrac.pk, "title": "Mine"}),
        (reverse("reflection:round_close", args=[answered.pk]), {}),
        (
            reverse("reflection:round_invite", args=[answered.pk]),
            {"participants": [membership(world.bridge).pk]},
        ),
        (
            reverse("reflection:action_point_add", args=[answered.pk]),
            {"description": "Do", "owner": world.partner_org.pk, "due_on": "2027-01-01"},
        ),
        (reverse("reflection:signal_detail", args=[signal.pk]), {"organisation": world.partner_org.pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Round.objects.count() == 1
    answered.refresh_from_db()
    assert answered.is_open
    assert set(answered.participants.all()) == {membership(world.partner), membership(world.outsider)}
    assert ActionPoint.objects.count() == 0
    signal.refresh_from_db()
    assert signal.taken_up_by is None


def test_administrator_without_membership_gets_not_found_everywhere(client, world, answered):
    signal = actions.log_signal(what="Barrier", where="Here", barrier_type="legal", by=world.partner)
    client.force_login(world.administrator)
    urls = [
        reverse("reflection:index"),
        reverse("reflection:framework_detail", args=["vrac"]),
        reverse("reflection:round_open"),
        reverse("reflection:round_detail", args=[answered.pk]),
        reverse("reflection:round_answer", args=[answered.pk]),
        reverse("reflection:round_invite", args=[answered.pk]),
        reverse("reflection:signal_detail", args=[signal.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reflection:round_close", args=[answered.pk])).status_code == 404


def test_coordinator_opens_invites_and_closes(client, world):
    ensure_frameworks()
    client.force_login(world.network_coordinator)
    vrac = Framework.objects.get(code="vrac")
    response = client.post(
        reverse("reflection:round_open"),
        {"framework": vrac.pk, "title": "Spring", "participants": [membership(world.partner).pk]},
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("reflection:round_invite", args=[round_.pk]), {"participants": [membership(world.bridge).pk]}
    )
    assert set(round_.participants.all()) == {membership(world.partner), membership(world.bridge)}
    client.post(reverse("reflection:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert not round_.is_open


@pytest.mark.parametrize("name", MEMBERS + ["administrator"])
def test_action_points_and_signals_visible_to_members_only(world, answered, name):
    point = actions.add_action_point(
        round_=answered,
        description="Shared vocabulary",
        owner=world.partner_org,
        due_on=datetime.date(2027, 3, 1),
        by=world.network_coordinator,
    )
    signal = actions.log_signal(what="Subsidy rules", where="Town", barrier_type="legal", by=world.bridge)
    user = world.everyone[name]
    member = name in MEMBERS
    assert set(ActionPoint.objects.visible_to(user)) == ({point} if member else set())
    assert set(Signal.objects.visible_to(user)) == ({signal} if member else set())


def test_signal_pages_show_nothing_of_any_family(client, world):
    from families.models import Family

    world.give("register")  # a file that could leak
    family = Family.objects.get(pk=world.family.pk)
    signal = actions.log_signal(
        what="Waiting lists at the therapy centre block every referral",
        where="Therapy centres",
        barrier_type="between_sectors",
        by=world.bridge,
    )
    actions.assign_signal(signal=signal, organisation=world.municipality, by=world.network_coordinator)
    markers = [
        world.guardian.last_name,
        world.child.first_name,
        world.teen.first_name,
        family.reference,
        world.bridge.email,
        world.bridge.get_full_name(),
    ]
    for user in (world.network_coordinator, world.bridge, world.partner):
        client.force_login(user)
        for url in (reverse("reflection:signal_list"), reverse("reflection:signal_detail", args=[signal.pk])):
            # the header greets the logged-in person; the page itself must name nobody
            page = client.get(url).content.decode().split('<main id="main"', 1)[1]
            assert "Waiting lists at the therapy centre" in page
            for marker in markers:
                assert marker not in page, (url, marker)
    world.bridge.language = "en"
    world.bridge.save(update_fields=["language"])
    client.force_login(world.bridge)
    form_page = client.get(reverse("reflection:signal_list")).content.decode()
    assert "never about a family" in form_page


def test_signal_is_logged_by_a_member_and_followed_up_by_the_coordinator(client, world):
    client.force_login(world.school_coordinator)
    response = client.post(
        reverse("reflection:signal_list"),
        {"what": "No interpreter budget", "where": "Schools", "barrier_type": "within_organisation"},
    )
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert signal.status == Signal.Status.NEW
    client.force_login(world.network_coordinator)
    url = reverse("reflection:signal_detail", args=[signal.pk])
    client.post(url, {"organisation": world.municipality.pk})
    client.post(url, {"status": "resolved", "follow_up": "Budget found"})
    signal.refresh_from_db()
    assert (signal.taken_up_by, signal.status, signal.follow_up) == (
        world.municipality,
        "resolved",
        "Budget found",
    )


def test_rounds_and_answers_are_not_in_the_admin():
    registered = set(admin.site._registry)
    assert {Framework, Item} <= registered
    assert registered.isdisjoint({Round, Response, ActionPoint, Signal})


def test_home_shows_the_coordinator_open_rounds_and_waiting_signals(client, world, answered):
    actions.log_signal(what="Barrier", where="Here", barrier_type="legal", by=world.partner)
    client.force_login(world.network_coordinator)
    page = client.get(reverse("home")).content.decode()
    assert 'id="home-open-rounds"' in page and answered.title in page
    assert reverse("reflection:signal_list") in page
    client.force_login(world.administrator)
    page = client.get(reverse("home")).content.decode()
    assert answered.title not in page and reverse("reflection:index") not in page
