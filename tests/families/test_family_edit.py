"""Editing a family file's details: only the bridge team holding the file, through the gate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from families import actions
from families.models import Child, Family

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


def guardian_payload(**overrides) -> dict:
    data = {
        "first_name": "Amina",
        "last_name": "MarkerGuardian",
        "relationship": "aunt",
        "phone": "0470 99 88 77",
        "email": "amina@example.org",
    }
    data.update(overrides)
    return data


def guardian_rows(family: Family) -> set:
    return set(family.guardians.values_list("first_name", "last_name", "relationship", "phone", "email"))


@pytest.mark.parametrize("who", ["bridge", "colleague"])
def test_guardian_add_and_edit_work_for_the_holding_team(client, world, who):
    world.give("register")
    client.force_login(getattr(world, who))
    before = snapshot(world.family)[5]
    response = client.post(reverse("guardian_add", args=[world.family.pk]), guardian_payload())
    assert response.status_code == 302
    added = world.family.guardians.get(last_name="MarkerGuardian")
    response = client.post(
        reverse("guardian_edit", args=[world.family.pk, added.pk]), guardian_payload(phone="0470 12 12 12")
    )
    assert response.status_code == 302
    assert ("Amina", "MarkerGuardian", "aunt", "0470 12 12 12", "amina@example.org") in guardian_rows(
        world.family
    )
    assert snapshot(world.family)[5] > before


def test_guardian_edit_shows_errors_and_keeps_input(client, world):
    world.give("register")
    client.force_login(world.bridge)
    before = guardian_rows(world.family)
    response = client.post(
        reverse("guardian_edit", args=[world.family.pk, world.guardian.pk]),
        guardian_payload(email="not-an-address", last_name="MarkerTyped"),
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "MarkerTyped" in response.content.decode()
    assert guardian_rows(world.family) == before


@pytest.mark.parametrize(
    "who", ["other_bridge", "partner", "school_coordinator", "network_coordinator", "administrator"]
)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", ["guardian_add", "guardian_edit"])
def test_guardian_pages_are_404_outside_the_holding_team(client, world, who, method, url_name):
    world.give("register")
    world.give("refer", world.partner_org)
    before = (guardian_rows(world.family), snapshot(world.family))
    client.force_login(getattr(world, who))
    args = [world.family.pk] + ([world.guardian.pk] if url_name == "guardian_edit" else [])
    url = reverse(url_name, args=args)
    response = client.get(url) if method == "get" else client.post(url, guardian_payload())
    assert response.status_code == 404
    assert (guardian_rows(world.family), snapshot(world.family)) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_guardian_edit_is_404_when_the_gate_hides_the_guardian(client, world, method):
    world.give("register", child=world.teen)
    before = guardian_rows(world.family)
    client.force_login(world.bridge)
    assert client.get(reverse("family_detail", args=[world.family.pk])).status_code == 200
    url = reverse("guardian_edit", args=[world.family.pk, world.guardian.pk])
    response = client.get(url) if method == "get" else client.post(url, guardian_payload())
    assert response.status_code == 404
    assert guardian_rows(world.family) == before


def test_update_guardian_refuses_a_user_outside_the_holding_team(world):
    world.give("register")
    with pytest.raises(PermissionError):
        actions.update_guardian(guardian=world.guardian, by=world.other_bridge, phone="1")
    with pytest.raises(PermissionError):
        actions.add_guardian(family=world.family, by=world.partner, first_name="X")


def child_payload(world, age: int, **overrides) -> dict:
    data = {
        "first_name": "Yara",
        "last_name": "MarkerChild",
        "birth_year": str(timezone.localdate().year - age),
        "school": str(world.school.pk),
        "grade": "2B",
    }
    data.update(overrides)
    return data


def child_rows(family: Family) -> set:
    return set(family.children.values_list("first_name", "last_name", "birth_year", "grade"))


def test_child_add_of_14_without_agreement_stays_hidden_and_says_so(client, world):
    world.give("register")
    world.bridge.language = "en"
    world.bridge.save(update_fields=["language"])
    client.force_login(world.bridge)
    response = client.post(
        reverse("child_add", args=[world.family.pk]), child_payload(world, 14), follow=True
    )
    child = world.family.children.get(last_name="MarkerChild")
    assert not child.consents.exists()
    html = response.content.decode()
    assert "stays hidden" in html
    assert "MarkerChild" not in html
    assert child not in Child.objects.visible_to(world.bridge)


def test_child_add_of_14_with_agreement_records_consent_and_shows_them(client, world):
    world.give("register")
    client.force_login(world.colleague)
    response = client.post(
        reverse("child_add", args=[world.family.pk]),
        child_payload(world, 14, young_person_agreed="on", consent_method="verbal"),
        follow=True,
    )
    child = world.family.children.get(last_name="MarkerChild")
    assert set(child.consents.values_list("scope", "given_by", "young_person_agreed")) == {
        ("register", "young_person", True)
    }
    assert "MarkerChild" in response.content.decode()


@pytest.mark.parametrize("who", ["bridge", "colleague"])
def test_child_edit_saves_for_the_holding_team(client, world, who):
    world.give("register")
    before = snapshot(world.family)[5]
    client.force_login(getattr(world, who))
    response = client.post(
        reverse("child_edit", args=[world.family.pk, world.child.pk]),
        child_payload(world, timezone.localdate().year - world.child.birth_year, grade="4C"),
    )
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert (world.child.last_name, world.child.grade) == ("MarkerChild", "4C")
    assert snapshot(world.family)[5] > before


def test_child_edit_keeps_input_on_a_wrong_birth_date(client, world):
    world.give("register")
    before = child_rows(world.family)
    client.force_login(world.bridge)
    response = client.post(
        reverse("child_edit", args=[world.family.pk, world.child.pk]),
        child_payload(world, 8, birth_date="2001-01-01", last_name="MarkerTyped"),
    )
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    assert "MarkerTyped" in response.content.decode()
    assert child_rows(world.family) == before


def test_child_edit_is_404_for_a_hidden_teen(client, world):
    world.give("register")
    client.force_login(world.bridge)
    url = reverse("child_edit", args=[world.family.pk, world.teen.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "who", ["other_bridge", "partner", "school_coordinator", "network_coordinator", "administrator"]
)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", ["child_add", "child_edit"])
def test_child_pages_are_404_outside_the_holding_team(client, world, who, method, url_name):
    world.give("register")
    world.give("refer", world.partner_org)
    before = (child_rows(world.family), snapshot(world.family))
    client.force_login(getattr(world, who))
    args = [world.family.pk] + ([world.child.pk] if url_name == "child_edit" else [])
    url = reverse(url_name, args=args)
    response = client.get(url) if method == "get" else client.post(url, child_payload(world, 8))
    assert response.status_code == 404
    assert (child_rows(world.family), snapshot(world.family)) == before
