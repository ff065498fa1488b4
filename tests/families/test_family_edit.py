"""Editing a family file's details: only the bridge team holding the file, through the gate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from families import actions
from families.models import Family

from .. import factories as f


def edit_payload(world, **overrides) -> dict:
    data = {
        "postcode": "9050",
        "languages": "Dari, Dutch",
        "interpreter_needed": "on",
        "preferred_channel": "home_visit",
        "primary_bridge_figure": str(world.colleague.pk),
    }
    data.update(overrides)
    return data


def snapshot(family: Family) -> tuple:
    family.refresh_from_db()
    return (
        family.postcode,
        family.languages,
        family.interpreter_needed,
        family.preferred_channel,
        family.primary_bridge_figure_id,
        family.last_activity_at,
    )


@pytest.mark.parametrize("who", ["bridge", "colleague"])
def test_family_edit_saves_details_for_the_holding_team(client, world, who):
    world.give("register")
    before = snapshot(world.family)
    client.force_login(getattr(world, who))
    response = client.post(reverse("family_edit", args=[world.family.pk]), edit_payload(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("family_detail", args=[world.family.pk])
    after = snapshot(world.family)
    assert after[:5] == ("9050", "Dari, Dutch", True, "home_visit", world.colleague.pk)
    assert after[5] > before[5]


def test_family_edit_page_offers_only_bridge_figures_of_the_holding_team(client, world):
    world.give("register")
    client.force_login(world.bridge)
    response = client.get(reverse("family_edit", args=[world.family.pk]))
    assert response.status_code == 200
    choices = {pk for pk, _label in response.context["form"].fields["primary_bridge_figure"].choices if pk}
    assert {int(str(pk)) for pk in choices} == {world.bridge.pk, world.colleague.pk}
    assert (
        reverse("family_edit", args=[world.family.pk])
        in client.get(reverse("family_detail", args=[world.family.pk])).content.decode()
    )


def test_family_edit_refuses_another_teams_bridge_figure_and_keeps_input(client, world):
    world.give("register")
    before = snapshot(world.family)
    client.force_login(world.bridge)
    response = client.post(
        reverse("family_edit", args=[world.family.pk]),
        edit_payload(world, primary_bridge_figure=str(world.other_bridge.pk), languages="MarkerTyped"),
    )
    assert response.status_code == 200
    assert "primary_bridge_figure" in response.context["form"].errors
    assert "MarkerTyped" in response.content.decode()
    assert snapshot(world.family) == before


@pytest.mark.parametrize(
    "who", ["other_bridge", "partner", "school_coordinator", "network_coordinator", "administrator"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_family_edit_is_404_outside_the_holding_team(client, world, who, method):
    world.give("register")
    world.give("refer", world.partner_org)
    before = snapshot(world.family)
    client.force_login(getattr(world, who))
    url = reverse("family_edit", args=[world.family.pk])
    response = client.get(url) if method == "get" else client.post(url, edit_payload(world))
    assert response.status_code == 404
    assert snapshot(world.family) == before


def test_family_edit_is_404_without_register_consent(client, world):
    client.force_login(world.bridge)
    assert client.get(reverse("family_edit", args=[world.family.pk])).status_code == 404


def test_update_family_refuses_a_user_outside_the_holding_team(world):
    world.give("register")
    before = snapshot(world.family)
    with pytest.raises(PermissionError):
        actions.update_family(family=world.family, by=world.other_bridge, postcode="1000")
    assert snapshot(world.family) == before


def test_update_family_refuses_a_former_bridge_figure_as_primary(world):
    world.give("register")
    former = f.UserFactory()
    with pytest.raises(actions.ValidationError):
        actions.update_family(family=world.family, by=world.bridge, primary_bridge_figure=former)
