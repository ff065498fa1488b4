"""The catalogue as Open Referral HSDS 3: the demo catalogue's export validates against the published
schema, re-importing it changes nothing, and a bad file is refused whole."""

import copy
import json
import uuid
from io import StringIO

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import override_settings
from django.utils import translation

from partners import hsds
from partners.models import NeedDomain, Offer, Organisation
from tests import factories as f
from tests.conftest import ensure_need_domains
from tests.reflection.factories import ensure_frameworks

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network (its catalogue is what matters here), rolled back after this module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        ensure_need_domains()
        ensure_frameworks()
        call_command("seed_demo", "--families", "1", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def dump() -> dict:
    """Every value of every organisation and offer, need domains included."""
    return {
        "organisations": {o.pk: model_to_dict(o) | {"uuid": o.uuid} for o in Organisation.objects.all()},
        "offers": {
            o.pk: model_to_dict(o) | {"uuid": o.uuid, "updated_at": o.updated_at}
            for o in Offer.objects.prefetch_related("need_domains")
        },
        "need_domains": list(NeedDomain.objects.values()),
    }


def test_export_of_the_demo_catalogue_validates_against_the_hsds_schema(demo):
    document = hsds.export_offers()
    active = Offer.objects.filter(active=True)
    assert document["total_items"] == active.count() > 10
    assert {s["id"] for s in document["contents"]} == {str(o.uuid) for o in active}
    # The published schema itself, not only our copy's reading of it
    validator = jsonschema.Draft202012Validator(
        hsds.service_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for service in document["contents"]:
        assert list(validator.iter_errors(service)) == []
    assert hsds.schema_errors(document["contents"]) == []


def test_export_carries_what_the_catalogue_knows(demo):
    offer = Offer.objects.filter(active=True, age_min__isnull=False).order_by("pk").first()
    offer.verified_at = offer.verified_at or offer.updated_at.date()
    offer.save()
    service = next(s for s in hsds.export_offers()["contents"] if s["id"] == str(offer.uuid))
    assert service["organization"]["id"] == str(offer.organisation.uuid)
    assert service["organization"]["name"] == offer.organisation.name
    assert (service["minimum_age"], service["maximum_age"]) == (offer.age_min, offer.age_max)
    assert service["assured_date"] == offer.verified_at.isoformat()
    assert [language["code"] for language in service["languages"]] == hsds.language_codes(offer.languages)
    assert service["cost_options"][0]["option"] == offer.cost
    domains = {
        a["taxonomy_term"]["code"]
        for a in service["attributes"]
        if a["taxonomy_term"]["taxonomy"] == hsds.TAXONOMY_NEED_DOMAIN
    }
    assert domains == set(offer.need_domains.values_list("code", flat=True))
    # Exporting twice gives the same document: nested ids are derived, not random
    assert hsds.export_offers() == hsds.export_offers()


def test_reimporting_the_demo_export_changes_nothing(demo):
    text = hsds.export_json()
    before = dump()
    summary = hsds.import_json(text)
    assert dump() == before
    active = Offer.objects.filter(active=True).count()
    assert summary.unchanged["offers"] == active
    assert summary.created == {"offers": 0, "organisations": 0}
    assert summary.updated == {"offers": 0, "organisations": 0}


def test_import_creates_then_updates_matched_by_id(demo):
    document = hsds.export_offers()
    service = copy.deepcopy(document["contents"][0])
    service["id"] = str(uuid.uuid4())
    service["name"] = "Nieuwe huiswerkklas"
    service["organization"]["id"] = str(uuid.uuid4())
    service["organization"]["name"] = "Nieuwe vzw"
    service["organization_id"] = service["organization"]["id"]
    offers_before = Offer.objects.count()

    summary = hsds.import_catalogue([service])
    assert summary.created == {"offers": 1, "organisations": 1}
    created = Offer.objects.get(uuid=service["id"])
    assert created.organisation.name == "Nieuwe vzw"
    assert Offer.objects.count() == offers_before + 1

    service["maximum_age"] = 11
    summary = hsds.import_catalogue([service])
    assert summary.updated["offers"] == 1 and summary.unchanged["organisations"] == 1
    created.refresh_from_db()
    assert created.age_max == 11
    assert Offer.objects.count() == offers_before + 1


def test_dry_run_counts_but_saves_nothing(demo):
    service = copy.deepcopy(hsds.export_offers()["contents"][0])
    service["description"] = "Anders beschreven"
    before = dump()
    summary = hsds.import_catalogue([service], dry_run=True)
    assert summary.updated["offers"] == 1
    assert dump() == before


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(lambda s: s.pop("name"), id="missing-name"),
        pytest.param(lambda s: s.update(minimum_age="six"), id="age-not-a-number"),
        pytest.param(lambda s: s.update(id="not-a-uuid"), id="id-not-a-uuid"),
        pytest.param(lambda s: s["organization"].pop("description"), id="organization-incomplete"),
        pytest.param(lambda s: s.update(status="open"), id="status-not-in-enum"),
    ],
)
def test_invalid_file_is_refused_with_errors_and_writes_nothing(demo, break_it):
    document = hsds.export_offers()
    document["contents"][0]["description"] = "This valid change must not be saved either"
    break_it(document["contents"][1])
    before = dump()
    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.import_catalogue(document)
    assert len(refused.value.errors) == 1
    assert refused.value.errors[0].startswith("service 2")
    assert dump() == before


@pytest.mark.parametrize(
    ("language", "break_it", "message"),
    [
        ("en", lambda s: s.pop("name"), "service 2: (the service itself): the field “name” is missing"),
        ("nl", lambda s: s.pop("name"), "dienst 2: (de dienst zelf): het veld „name” ontbreekt"),
        ("en", lambda s: s.update(minimum_age="six"), "minimum_age: should be a number"),
        ("fr", lambda s: s.update(minimum_age="six"), "minimum_age\u00a0: doit être un nombre"),
        ("nl", lambda s: s.update(id="not-a-uuid"), "id: „not-a-uuid” is geen geldige uuid"),
        (
            "nl",
            lambda s: s.update(status="open"),
            "status: „open” mag niet; kies uit: active, inactive, defunct",
        ),
    ],
)
def test_schema_errors_are_written_in_the_readers_language(demo, language, break_it, message):
    services = hsds.export_offers()["contents"]
    break_it(services[1])
    with translation.override(language):
        (error,) = hsds.schema_errors(services)
    assert message in error


def test_village_rules_refuse_the_whole_file(demo):
    document = hsds.export_offers()
    first, second = document["contents"][:2]
    first["description"] = "This valid change must not be saved either"
    second["attributes"][-1]["taxonomy_term"] = {
        "id": str(uuid.uuid4()),
        "code": "astrology",
        "name": "Astrology",
        "description": "Astrology",
        "taxonomy": hsds.TAXONOMY_NEED_DOMAIN,
    }
    before = dump()
    with pytest.raises(hsds.ImportRefused) as refused:
        hsds.import_catalogue(document)
    assert any("astrology" in error for error in refused.value.errors)
    assert dump() == before


def test_not_json_and_wrong_shape_are_refused(db):
    with pytest.raises(hsds.ImportRefused):
        hsds.import_json(b"{not json")
    with pytest.raises(hsds.ImportRefused):
        hsds.import_json(json.dumps({"services": []}))


def test_export_and_import_commands_round_trip(db, tmp_path):
    ensure_need_domains()
    offer = f.OfferFactory(languages="nl,fr", age_min=6, age_max=12)
    offer.need_domains.set([f.need_domain()])
    path = tmp_path / "catalogue.json"
    call_command("export_catalogue", "--output", str(path), stderr=StringIO())
    exported = json.loads(path.read_text())["contents"]
    assert str(offer.uuid) in {service["id"] for service in exported}
    before = dump()
    out = StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert f"offers: 0 created, 0 updated, {len(exported)} unchanged" in out.getvalue()
    assert dump() == before

    broken = json.loads(path.read_text())
    del broken["contents"][0]["status"]
    path.write_text(json.dumps(broken))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(path), stderr=err)
    assert "the field “status” is missing" in err.getvalue()


def test_export_command_refuses_an_export_that_does_not_validate(db, monkeypatch, tmp_path):
    from partners.management.commands import export_catalogue

    broken = {"contents": [{"id": "not-a-uuid", "name": "Kapot", "status": "active"}]}
    monkeypatch.setattr(export_catalogue, "export_offers", lambda: broken)
    path = tmp_path / "catalogue.json"
    err = StringIO()
    with pytest.raises(CommandError, match="does not validate"):
        call_command("export_catalogue", "--output", str(path), stderr=err)
    assert "“not-a-uuid” is not a valid uuid" in err.getvalue()
    assert not path.exists()
