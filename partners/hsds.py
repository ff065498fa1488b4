"""The catalogue as Open Referral HSDS 3 JSON: export, validation and import.

The export is one HSDS API page (`total_items`, ..., `contents`) whose `contents` are `service`
objects, each with its `organization` nested, validated one by one against the published schema
(`hsds_schema/service_with_definitions.json`). The import also accepts a bare list of services.

How Village's fields map (what HSDS has no field for travels as an `attribute` with a Village
taxonomy term, which HSDS allows and other systems may ignore):

- offer.uuid / organisation.uuid → `id` / `organization.id` (stable, so a re-import updates rows);
- description, age range (`minimum_age`, `maximum_age`), `assured_date` (verified_at),
  `last_modified` (updated_at), `status` (active or inactive);
- how families get in → `application_process`; typical waiting time → `wait_time` ("N days");
- cost and the note about it → one `cost_options` entry (`option` is the cost code);
- where and when → one `schedules` entry's free-text `description`;
- languages → `languages` (one per ISO code); named contact → `contacts`;
- kind, capacity, need domains and how professionals refer → `attributes`.

Ids of nested objects are uuid5 of the offer's uuid, so exporting twice gives the same document.
Re-importing an export of the same database changes nothing: a row is saved only when a value
differs.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import NeedDomain, Offer, Organisation

SCHEMA_PATH = Path(__file__).parent / "hsds_schema" / "service_with_definitions.json"
# Fixed: ids derived from it must stay the same across releases.
NAMESPACE = uuid.UUID("6f1d3c2e-6a43-5c1b-9f0e-4c1a7a9b2d10")

TAXONOMY_NEED_DOMAIN = "village-need-domain"
TAXONOMY_OFFER_KIND = "village-offer-kind"
TAXONOMY_CAPACITY = "village-capacity"
TAXONOMY_ORGANISATION_KIND = "village-organisation-kind"
TAXONOMY_FIELD = "village-offer-field"
FIELD_HOW_TO_REFER = "how_to_refer"

LANGUAGE_NAMES = {
    "nl": "Dutch",
    "fr": "French",
    "en": "English",
    "de": "German",
    "ar": "Arabic",
    "tr": "Turkish",
    "pl": "Polish",
    "ro": "Romanian",
    "bg": "Bulgarian",
    "ru": "Russian",
    "uk": "Ukrainian",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "so": "Somali",
    "ti": "Tigrinya",
    "fa": "Persian",
    "ps": "Pashto",
}


@cache
def service_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def service_validator() -> jsonschema.protocols.Validator:
    schema = service_schema()
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def language_codes(languages: str) -> list[str]:
    """ "nl, fr,AR" → ["nl", "fr", "ar"] (the order kept, duplicates dropped)."""
    codes: list[str] = []
    for code in re.split(r"[\s,;/]+", languages.lower()):
        if code and code not in codes:
            codes.append(code)
    return codes


def _term(taxonomy: str, code: str, name: str, description: str = "") -> dict:
    return {
        "id": _id("term", taxonomy, code),
        "code": code,
        "name": name,
        "description": description or name,
        "taxonomy": taxonomy,
        "language": "en",
    }


def _attribute(link_id: str, link_entity: str, term: dict, value: str = "") -> dict:
    attribute = {
        "id": _id(link_id, "attribute", term["taxonomy"], term["code"]),
        "link_id": link_id,
        "link_type": "taxonomy",
        "link_entity": link_entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value:
        attribute["value"] = value
    return attribute


def _phone(owner_id: str, number: str, **link) -> dict:
    return {"id": _id(owner_id, "phone", number), "number": number, **link}


# ------------------------------------------------------------------------------------- export


def organisation_to_hsds(organisation: Organisation) -> dict:
    org_id = str(organisation.uuid)
    kind_label = str(Organisation.Kind(organisation.kind).label)
    data: dict[str, Any] = {
        "id": org_id,
        "name": organisation.name,
        # Required by HSDS; Village keeps no description of an organisation, its kind says most.
        "description": kind_label,
    }
    if organisation.email:
        data["email"] = organisation.email
    if organisation.website:
        data["website"] = organisation.website
    if organisation.phone:
        data["phones"] = [_phone(org_id, organisation.phone, organization_id=org_id)]
    if organisation.address or organisation.postcode:
        location_id = _id(org_id, "location")
        data["locations"] = [
            {
                "id": location_id,
                "organization_id": org_id,
                "location_type": "physical",
                "name": organisation.name,
                "addresses": [
                    {
                        "id": _id(org_id, "address"),
                        "location_id": location_id,
                        "address_1": organisation.address,
                        "city": "",
                        "state_province": "",
                        "postal_code": organisation.postcode,
                        "country": "BE",
                        "address_type": "physical",
                    }
                ],
            }
        ]
    data["attributes"] = [
        _attribute(org_id, "organization", _term(TAXONOMY_ORGANISATION_KIND, organisation.kind, kind_label))
    ]
    return data


def offer_to_hsds(offer: Offer) -> dict:
    """One offer as an HSDS `service`, its organisation nested. Needs `need_domains` prefetched
    and `organisation` selected to stay at one query per page."""
    service_id = str(offer.uuid)
    org_id = str(offer.organisation.uuid)
    data: dict[str, Any] = {
        "id": service_id,
        "organization_id": org_id,
        "name": offer.name,
        "description": offer.description,
        "status": "active" if offer.active else "inactive",
    }
    if offer.how_families_get_in:
        data["application_process"] = offer.how_families_get_in
    if offer.typical_wait_days is not None:
        data["wait_time"] = f"{offer.typical_wait_days} days"
    if offer.age_min is not None:
        data["minimum_age"] = offer.age_min
    if offer.age_max is not None:
        data["maximum_age"] = offer.age_max
    if offer.verified_at:
        data["assured_date"] = offer.verified_at.isoformat()
    if offer.updated_at:
        data["last_modified"] = offer.updated_at.isoformat()
    if offer.locations_times:
        data["schedules"] = [
            {
                "id": _id(service_id, "schedule"),
                "service_id": service_id,
                "description": offer.locations_times,
            }
        ]
    codes = language_codes(offer.languages)
    if codes:
        data["languages"] = [
            {"id": _id(service_id, "language", code), "service_id": service_id, "code": code}
            | ({"name": LANGUAGE_NAMES[code]} if code in LANGUAGE_NAMES else {})
            for code in codes
        ]
    data["organization"] = organisation_to_hsds(offer.organisation)
    data["cost_options"] = [
        {"id": _id(service_id, "cost"), "service_id": service_id, "option": offer.cost}
        | ({"amount_description": offer.cost_note} if offer.cost_note else {})
    ]
    if offer.contact_name or offer.contact_phone or offer.contact_email:
        contact_id = _id(service_id, "contact")
        contact: dict[str, Any] = {"id": contact_id, "service_id": service_id}
        if offer.contact_name:
            contact["name"] = offer.contact_name
        if offer.contact_email:
            contact["email"] = offer.contact_email
        if offer.contact_phone:
            contact["phones"] = [_phone(contact_id, offer.contact_phone, contact_id=contact_id)]
        data["contacts"] = [contact]
    attributes = [
        _attribute(
            service_id, "service", _term(TAXONOMY_OFFER_KIND, offer.kind, str(Offer.Kind(offer.kind).label))
        ),
        _attribute(
            service_id,
            "service",
            _term(TAXONOMY_CAPACITY, offer.capacity, str(Offer.Capacity(offer.capacity).label)),
        ),
    ]
    for domain in sorted(offer.need_domains.all(), key=lambda d: (d.order, d.code)):
        attributes.append(
            _attribute(service_id, "service", _term(TAXONOMY_NEED_DOMAIN, domain.code, domain.label_en))
        )
    if offer.how_to_refer:
        attributes.append(
            _attribute(
                service_id,
                "service",
                _term(TAXONOMY_FIELD, FIELD_HOW_TO_REFER, "How professionals refer"),
                offer.how_to_refer,
            )
        )
    data["attributes"] = attributes
    return data


def export_offers(offers=None) -> dict:
    """The active catalogue (or the given offers) as one HSDS API page of services."""
    if offers is None:
        offers = Offer.objects.filter(active=True)
    # Labels in English whoever exports: the same database always gives the same document.
    with translation.override("en"):
        services = [
            offer_to_hsds(offer)
            for offer in offers.select_related("organisation").prefetch_related("need_domains").order_by("pk")
        ]
    return {
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
    }


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def export_json(offers=None) -> str:
    return to_json(export_offers(offers))


# --------------------------------------------------------------------------------- validation


def services_in(document: Any) -> list:
    """The services of an HSDS page, or of a bare list; ValueError for anything else."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        return document["contents"]
    raise ValueError(_("The file must hold a list of HSDS services, or an HSDS page with a 'contents' list."))


def _where(index: int, service: Any) -> str:
    name = service.get("name") if isinstance(service, dict) else None
    if isinstance(name, str) and name:
        return _("service %(number)s (%(name)s)") % {"number": index + 1, "name": name}
    return _("service %(number)s") % {"number": index + 1}


def schema_errors(services: list) -> list[str]:
    """Every schema violation, as "service N (name): path: what is wrong", in the active language."""
    validator = service_validator()
    errors = []
    for index, service in enumerate(services):
        for error in sorted(validator.iter_errors(service), key=lambda e: list(e.absolute_path)):
            path = "/".join(str(p) for p in error.absolute_path) or _("(the service itself)")
            errors.append(
                _("%(service)s: %(path)s: %(problem)s")
                % {"service": _where(index, service), "path": path, "problem": _problem(error)}
            )
    return errors


def _json_types() -> dict[str, str]:
    return {
        "string": _("a text"),
        "number": _("a number"),
        "integer": _("a whole number"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("an object with fields"),
        "null": _("empty (null)"),
    }


def _problem(error: jsonschema.ValidationError) -> str:
    """What a schema violation means, in the person's language; jsonschema's own (English) message
    only for the rare rules not listed here."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = next((name for name in expected if name not in value), expected[0])
        return _("the field “%(field)s” is missing") % {"field": missing}
    if kind == "type":
        names = _json_types()
        wanted = [names.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
        separator = " " + pgettext("between alternatives", "or") + " "
        return _("should be %(type)s") % {"type": separator.join(wanted)}
    if kind == "enum":
        return _("“%(value)s” is not allowed; use one of: %(values)s") % {
            "value": value,
            "values": ", ".join(str(v) for v in expected),
        }
    if kind == "format":
        return _("“%(value)s” is not a valid %(format)s") % {"value": value, "format": expected}
    if kind == "pattern":
        return _("“%(value)s” does not have the expected form") % {"value": value}
    if kind in {"minLength", "minItems"} and not value:
        return _("may not be empty")
    if kind in {"minimum", "exclusiveMinimum"}:
        return _("%(value)s is too small") % {"value": value}
    if kind in {"maximum", "exclusiveMaximum"}:
        return _("%(value)s is too large") % {"value": value}
    if kind == "additionalProperties":
        return _("has fields the standard does not know: %(detail)s") % {"detail": error.message}
    return _("does not follow the HSDS 3 schema: %(detail)s") % {"detail": error.message}


# ------------------------------------------------------------------------------------- import


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=lambda: {"offers": 0, "organisations": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"offers": 0, "organisations": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"offers": 0, "organisations": 0})
    dry_run: bool = False

    def count(self, what: str, outcome: str) -> None:
        getattr(self, outcome)[what] += 1

    def __str__(self) -> str:
        parts = [
            f"{what}: {self.created[what]} created, {self.updated[what]} updated, "
            f"{self.unchanged[what]} unchanged"
            for what in ("organisations", "offers")
        ]
        return "; ".join(parts) + (" (dry run: nothing was saved)" if self.dry_run else "")


def _terms(data: dict, taxonomy: str) -> list[tuple[str, str]]:
    """(code, value) of the attributes whose term belongs to `taxonomy`."""
    found = []
    for attribute in data.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if term.get("taxonomy") == taxonomy and term.get("code"):
            found.append((term["code"], attribute.get("value", "")))
    return found


def _first(items: list | None) -> dict:
    return (items or [{}])[0] or {}


def _whole_number(value: Any, what: str, errors: list[str], where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not float(value).is_integer() or value < 0:
        errors.append(
            _("%(where)s: %(what)s must be a whole number of at least 0, not %(value)s")
            % {"where": where, "what": what, "value": value}
        )
        return None
    return int(value)


def _apply(instance, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance, where: str, errors: list[str]) -> bool:
    try:
        instance.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = "" if name == "__all__" else f"{name}: "
            errors.extend(f"{where}: {label}{message}" for message in messages)
        return False
    instance.save()
    return True


def _import_organisation(
    data: dict, where: str, seen: dict, errors: list[str], summary
) -> Organisation | None:
    org_uuid = uuid.UUID(data["id"])
    if org_uuid in seen:
        return seen[org_uuid]
    organisation = Organisation.objects.filter(uuid=org_uuid).first()
    kinds = [code for code, _value in _terms(data, TAXONOMY_ORGANISATION_KIND)]
    address = _first(_first(data.get("locations")).get("addresses"))
    values = {
        "name": data["name"],
        "email": data.get("email", ""),
        "website": data.get("website", ""),
        "phone": _first(data.get("phones")).get("number", ""),
        "address": address.get("address_1", ""),
        "postcode": address.get("postal_code", ""),
    }
    if kinds:
        values["kind"] = kinds[0]
    created = organisation is None
    if created:
        organisation = Organisation(uuid=org_uuid, kind=Organisation.Kind.OTHER)
    changed = _apply(organisation, values)
    if created or changed:
        if not _save(organisation, f"{where}: organization", errors):
            seen[org_uuid] = None
            return None
        summary.count("organisations", "created" if created else "updated")
    else:
        summary.count("organisations", "unchanged")
    seen[org_uuid] = organisation
    return organisation


def _import_service(
    data: dict, where: str, seen_orgs: dict, domains: dict, errors: list[str], summary
) -> None:
    if "organization" not in data:
        errors.append(_("%(where)s: the service must include its organization.") % {"where": where})
        return
    if data.get("organization_id") and data["organization_id"] != data["organization"]["id"]:
        errors.append(_("%(where)s: organization_id differs from organization.id.") % {"where": where})
        return
    organisation = _import_organisation(data["organization"], where, seen_orgs, errors, summary)
    if organisation is None:
        return
    before = len(errors)
    domain_codes = [code for code, _value in _terms(data, TAXONOMY_NEED_DOMAIN)]
    unknown = [code for code in domain_codes if code not in domains]
    if unknown:
        errors.append(
            _("%(where)s: unknown need domain(s): %(codes)s") % {"where": where, "codes": ", ".join(unknown)}
        )
    wait = None
    if data.get("wait_time"):
        match = re.match(r"\s*(\d+)", data["wait_time"])
        wait = int(match.group(1)) if match else None
    verified = None
    if data.get("assured_date"):
        verified = parse_date(data["assured_date"][:10])
        if verified is None:
            errors.append(
                _("%(where)s: assured_date is not a date: %(value)s")
                % {"where": where, "value": data["assured_date"]}
            )
    contact = _first(data.get("contacts"))
    cost = _first(data.get("cost_options"))
    kinds = [code for code, _value in _terms(data, TAXONOMY_OFFER_KIND)]
    capacities = [code for code, _value in _terms(data, TAXONOMY_CAPACITY)]
    how_to_refer = [value for code, value in _terms(data, TAXONOMY_FIELD) if code == FIELD_HOW_TO_REFER]
    values = {
        "organisation_id": organisation.pk,
        "name": data["name"],
        "description": data.get("description", ""),
        "active": data["status"] == "active",
        "how_families_get_in": data.get("application_process", ""),
        "typical_wait_days": wait,
        "age_min": _whole_number(data.get("minimum_age"), "minimum_age", errors, where),
        "age_max": _whole_number(data.get("maximum_age"), "maximum_age", errors, where),
        "verified_at": verified,
        "locations_times": _first(data.get("schedules")).get("description", ""),
        "cost": cost.get("option") or Offer.Cost.FREE,
        "cost_note": cost.get("amount_description", ""),
        "contact_name": contact.get("name", ""),
        "contact_email": contact.get("email", ""),
        "contact_phone": _first(contact.get("phones")).get("number", ""),
        "how_to_refer": how_to_refer[0] if how_to_refer else "",
    }
    if kinds:
        values["kind"] = kinds[0]
    if capacities:
        values["capacity"] = capacities[0]
    if len(errors) > before:
        return
    offer_uuid = uuid.UUID(data["id"])
    offer = Offer.objects.filter(uuid=offer_uuid).first()
    created = offer is None
    if created:
        offer = Offer(uuid=offer_uuid, kind=Offer.Kind.OTHER)
    codes = [language["code"] for language in data.get("languages") or [] if language.get("code")]
    # Compare codes, not text: "nl,fr" and "nl, fr" are the same languages.
    if created or language_codes(offer.languages) != language_codes(", ".join(codes)):
        values["languages"] = ", ".join(codes)
    changed = _apply(offer, values)
    if (created or changed) and not _save(offer, where, errors):
        return
    wanted = {domains[code] for code in domain_codes}
    domains_changed = created or set(offer.need_domains.all()) != wanted
    if domains_changed:
        offer.need_domains.set(wanted)
    if created:
        summary.count("offers", "created")
    elif changed or domains_changed:
        summary.count("offers", "updated")
    else:
        summary.count("offers", "unchanged")


def import_catalogue(document: Any, *, dry_run: bool = False) -> ImportSummary:
    """Create or update organisations and offers from HSDS services, matched by id.

    All or nothing: the schema is checked first, then everything is written in one transaction
    that is rolled back on any error (or when `dry_run`). Raises ImportRefused with the list of
    errors. Offers and organisations not in the file are left alone."""
    try:
        services = services_in(document)
    except ValueError as error:
        raise ImportRefused([str(error)]) from None
    errors = schema_errors(services)
    ids = [s.get("id") for s in services if isinstance(s, dict)]
    errors += [
        _("The service id %(id)s appears more than once.") % {"id": i}
        for i in sorted({str(i) for i in ids if ids.count(i) > 1})
    ]
    if errors:
        raise ImportRefused(errors)
    summary = ImportSummary(dry_run=dry_run)
    domains = {domain.code: domain for domain in NeedDomain.objects.all()}
    seen_orgs: dict = {}
    with transaction.atomic():
        for index, service in enumerate(services):
            _import_service(service, _where(index, service), seen_orgs, domains, errors, summary)
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        raise ImportRefused(errors)
    return summary


def import_json(text: str | bytes, *, dry_run: bool = False) -> ImportSummary:
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused([_("The file is not JSON: %(error)s") % {"error": error}]) from None
    return import_catalogue(document, dry_run=dry_run)
