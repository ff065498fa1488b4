"""The catalogue pages: partner workers keep their own organisation's offers, the network coordinator
oversees the whole catalogue, and nobody else gets in."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import hsds
from partners.models import Offer

from .. import factories as f

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
TODAY = datetime.date(2026, 3, 10)
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=BRUSSELS)


def english(user):
    user.language = "en"
    user.save()
    return user


def log_in(client, user):
    client.force_login(english(user))
    return client


@pytest.fixture
def offers(world):
    """Offers of the partner's organisation and of the outsider's, each of which could leak."""
    homework = f.need_domain("learning_homework")
    leisure = f.need_domain("leisure")
    mine = f.OfferFactory(organisation=world.partner_org, name="Huiswerkklas", kind=Offer.Kind.HOMEWORK_CLUB)
    mine.need_domains.set([homework])
    mine_inactive = f.OfferFactory(organisation=world.partner_org, name="Oude klas", active=False)
    theirs = f.OfferFactory(organisation=world.outsider_org, name="Budgethulp", kind=Offer.Kind.RIGHTS)
    theirs.need_domains.set([leisure])
    return {"mine": mine, "mine_inactive": mine_inactive, "theirs": theirs}


def form_data(offer: Offer, **changes) -> dict:
    data = {
        "organisation": offer.organisation_id,
        "name": offer.name,
        "kind": offer.kind,
        "description": offer.description,
        "need_domains": ([d.pk for d in offer.need_domains.all()] if offer.pk else [])
        or [f.need_domain().pk],
        "age_min": offer.age_min or "",
        "age_max": offer.age_max or "",
        "languages": offer.languages,
        "cost": offer.cost,
        "cost_note": offer.cost_note,
        "locations_times": offer.locations_times,
        "how_to_refer": offer.how_to_refer,
        "how_families_get_in": offer.how_families_get_in,
        "contact_name": offer.contact_name,
        "contact_phone": offer.contact_phone,
        "contact_email": offer.contact_email,
        "typical_wait_days": offer.typical_wait_days if offer.typical_wait_days is not None else "",
        "capacity": offer.capacity,
        "version": offer.updated_at.isoformat() if offer.pk else "",
    }
    data.update(changes)
    return data


# ------------------------------------------------------------------------------ partner worker


def test_our_offers_lists_exactly_the_own_organisations_offers(client, world, offers):
    response = log_in(client, world.partner).get(reverse("catalogue:our_offers"))
    assert response.status_code == 200
    assert set(response.context["offers"]) == {offers["mine"], offers["mine_inactive"]}
    assert b"Budgethulp" not in response.content

    response = log_in(client, world.outsider).get(reverse("catalogue:our_offers"))
    assert set(response.context["offers"]) == {offers["theirs"]}


@pytest.mark.parametrize("name", ["offer_edit", "offer_verify", "offer_set_active"])
def test_another_organisations_offer_is_404(client, world, offers, name):
    theirs = offers["theirs"]
    before = Offer.objects.filter(pk=theirs.pk).values().get()
    client = log_in(client, world.partner)
    url = reverse(f"catalogue:{name}", args=[theirs.pk])
    assert client.get(url).status_code == (404 if name == "offer_edit" else 405)
    assert client.post(url, form_data(theirs, name="Overgenomen") | {"active": "0"}).status_code == 404
    assert Offer.objects.filter(pk=theirs.pk).values().get() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("bridge", 403),
        ("school_coordinator", 403),
        ("network_coordinator", 403),
        ("administrator", 404),
    ],
)
def test_partner_pages_refuse_everyone_else(client, world, offers, who, status):
    client = log_in(client, world.everyone[who])
    mine = offers["mine"]
    assert client.get(reverse("catalogue:our_offers")).status_code == status
    assert client.get(reverse("catalogue:offer_create")).status_code == status
    assert client.get(reverse("catalogue:offer_edit", args=[mine.pk])).status_code == status
    assert client.post(reverse("catalogue:offer_verify", args=[mine.pk])).status_code == status


def test_anonymous_is_sent_to_log_in(client, offers):
    response = client.get(reverse("catalogue:our_offers"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_still_correct_sets_verified_at_to_today_and_leaves_the_edit_version(client, world, offers):
    mine = offers["mine"]
    Offer.objects.filter(pk=mine.pk).update(verified_at=datetime.date(2024, 1, 5))
    updated_at = Offer.objects.get(pk=mine.pk).updated_at
    with time_machine.travel(NOON, tick=False):
        response = log_in(client, world.partner).post(reverse("catalogue:offer_verify", args=[mine.pk]))
    assert response.status_code == 302 and response.url == reverse("catalogue:our_offers")
    mine.refresh_from_db()
    assert mine.verified_at == TODAY
    # An edit form someone has open stays valid: "still correct" changes no content
    assert mine.updated_at == updated_at


def test_still_correct_from_the_edit_page_returns_there(client, world, offers):
    mine = offers["mine"]
    response = log_in(client, world.partner).post(
        reverse("catalogue:offer_verify", args=[mine.pk]), {"back": "edit"}
    )
    assert response.url == reverse("catalogue:offer_edit", args=[mine.pk])


def test_editing_saves_and_marks_verified_today(client, world, offers):
    mine = offers["mine"]
    Offer.objects.filter(pk=mine.pk).update(verified_at=None)
    mine.refresh_from_db()
    leisure = f.need_domain("leisure")
    client = log_in(client, world.partner)
    with time_machine.travel(NOON, tick=False):
        response = client.post(
            reverse("catalogue:offer_edit", args=[mine.pk]),
            form_data(
                mine,
                description="Elke dinsdag",
                age_min=6,
                age_max=12,
                languages="NL,fr ar",
                need_domains=[leisure.pk],
                capacity=Offer.Capacity.WAITING_LIST,
            ),
        )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.description, mine.age_min, mine.age_max) == ("Elke dinsdag", 6, 12)
    assert mine.languages == "nl, fr, ar"
    assert set(mine.need_domains.all()) == {leisure}
    assert mine.capacity == Offer.Capacity.WAITING_LIST
    assert mine.verified_at == TODAY
    assert mine.organisation == world.partner_org


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age_min": 12, "age_max": 6}, "age_max"),
        ({"age_min": 150}, "age_min"),
        ({"languages": "Nederlands en Frans!"}, "languages"),
        ({"need_domains": []}, "need_domains"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_offer_is_refused_on_the_field(client, world, offers, changes, field):
    mine = offers["mine"]
    before = Offer.objects.filter(pk=mine.pk).values().get()
    response = log_in(client, world.partner).post(
        reverse("catalogue:offer_edit", args=[mine.pk]), form_data(mine, **changes)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Offer.objects.filter(pk=mine.pk).values().get() == before


def test_concurrent_edit_is_refused_and_the_input_kept(client, world, offers):
    mine = offers["mine"]
    client = log_in(client, world.partner)
    opened = client.get(reverse("catalogue:offer_edit", args=[mine.pk]))
    version = opened.context["form"]["version"].value()
    assert version == mine.updated_at.isoformat()

    # A colleague saves first
    colleague = Offer.objects.get(pk=mine.pk)
    colleague.description = "De versie van de collega"
    colleague.save()

    response = client.post(
        reverse("catalogue:offer_edit", args=[mine.pk]),
        form_data(mine, description="Mijn versie", version=version),
    )
    assert response.status_code == 200
    assert "Someone else changed this offer" in response.content.decode()
    assert response.context["form"]["description"].value() == "Mijn versie"
    assert response.context["current"].description == "De versie van de collega"
    mine.refresh_from_db()
    assert mine.description == "De versie van de collega"

    # Saving again, deliberately, from the page that showed both versions
    new_version = response.context["form"]["version"].value()
    assert new_version == mine.updated_at.isoformat()
    response = client.post(
        reverse("catalogue:offer_edit", args=[mine.pk]),
        form_data(mine, description="Mijn versie", version=new_version),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.description == "Mijn versie"


def test_add_an_offer_to_the_own_organisation_only(client, world, offers):
    client = log_in(client, world.partner)
    assert client.get(reverse("catalogue:offer_create")).status_code == 200
    template = Offer(organisation=world.outsider_org, name="Zomerkamp", kind=Offer.Kind.LEISURE)
    response = client.post(reverse("catalogue:offer_create"), form_data(template))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation"]
    assert not Offer.objects.filter(name="Zomerkamp").exists()

    template.organisation = world.partner_org
    with time_machine.travel(NOON, tick=False):
        response = client.post(reverse("catalogue:offer_create"), form_data(template))
    assert response.status_code == 302
    created = Offer.objects.get(name="Zomerkamp")
    assert (created.organisation, created.verified_at, created.active) == (world.partner_org, TODAY, True)


def test_take_out_of_and_back_into_the_catalogue(client, world, offers):
    mine = offers["mine"]
    client = log_in(client, world.partner)
    client.post(reverse("catalogue:offer_set_active", args=[mine.pk]), {"active": "0"})
    mine.refresh_from_db()
    assert mine.active is False
    client.post(reverse("catalogue:offer_set_active", args=[mine.pk]), {"active": "1"})
    mine.refresh_from_db()
    assert mine.active is True


def test_our_offers_query_count_holds_with_1_and_50_offers(client, world):
    domain = f.need_domain()
    client = log_in(client, world.partner)
    f.OfferFactory(organisation=world.partner_org).need_domains.set([domain])
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("catalogue:our_offers")).status_code == 200
    for _ in range(49):
        f.OfferFactory(organisation=world.partner_org).need_domains.set([domain])
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("catalogue:our_offers"))
    assert len(response.context["offers"]) == 50
    assert len(fifty) == len(one)


# ------------------------------------------------------------------------ network coordinator


@pytest.fixture
def dated(world, offers):
    """Offers verified at known dates around the 12-month line, seen from TODAY."""
    days = datetime.timedelta
    Offer.objects.filter(pk=offers["mine"].pk).update(verified_at=TODAY - days(100))
    Offer.objects.filter(pk=offers["theirs"].pk).update(verified_at=TODAY - days(400))
    Offer.objects.filter(pk=offers["mine_inactive"].pk).update(verified_at=None)
    never = f.OfferFactory(organisation=world.outsider_org, name="Nooit nagekeken", verified_at=None)
    on_the_line = f.OfferFactory(
        organisation=world.partner_org, name="Net op tijd", verified_at=TODAY - days(365)
    )
    just_over = f.OfferFactory(
        organisation=world.partner_org, name="Net te laat", verified_at=TODAY - days(366)
    )
    return offers | {"never": never, "on_the_line": on_the_line, "just_over": just_over}


def test_stale_list_is_exactly_the_active_offers_unverified_for_12_months(client, world, dated):
    client = log_in(client, world.network_coordinator)
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("catalogue:stale"))
    assert response.status_code == 200
    assert set(response.context["offers"]) == {dated["theirs"], dated["never"], dated["just_over"]}
    # The organisation and its contact, to chase it
    content = response.content.decode()
    assert world.outsider_org.name in content


def test_overview_filters_by_organisation_kind_domain_and_staleness(client, world, dated):
    client = log_in(client, world.network_coordinator)
    url = reverse("catalogue:overview")
    active = {dated[k] for k in ("mine", "theirs", "never", "on_the_line", "just_over")}

    def found(**query) -> set:
        with time_machine.travel(NOON, tick=False):
            response = client.get(url, query)
        assert response.status_code == 200
        return set(response.context["page"].object_list)

    assert found() == active
    assert found(organisation=world.outsider_org.pk) == {dated["theirs"], dated["never"]}
    assert found(kind=Offer.Kind.RIGHTS) == {dated["theirs"]}
    assert found(domain=f.need_domain("leisure").pk) == {dated["theirs"]}
    assert found(stale="yes") == {dated["theirs"], dated["never"], dated["just_over"]}
    assert found(stale="no") == {dated["mine"], dated["on_the_line"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("partner", 403),
        ("bridge", 403),
        ("school_coordinator", 403),
        ("administrator", 404),
    ],
)
@pytest.mark.parametrize("name", ["overview", "stale", "export", "import"])
def test_coordinator_pages_refuse_everyone_else(client, world, offers, who, status, name):
    response = log_in(client, world.everyone[who]).get(reverse(f"catalogue:{name}"))
    assert response.status_code == status


def test_overview_query_count_holds_with_1_and_50_offers(client, world):
    domain = f.need_domain()
    client = log_in(client, world.network_coordinator)
    f.OfferFactory(organisation=world.partner_org).need_domains.set([domain])
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("catalogue:overview")).status_code == 200
    for _ in range(49):
        f.OfferFactory(organisation=world.outsider_org).need_domains.set([domain])
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("catalogue:overview"))
    assert len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one)


def test_download_is_the_hsds_export_of_the_active_catalogue(client, world, offers):
    response = log_in(client, world.network_coordinator).get(reverse("catalogue:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert {s["id"] for s in document["contents"]} == {str(offers["mine"].uuid), str(offers["theirs"].uuid)}
    assert hsds.schema_errors(document["contents"]) == []


def test_upload_shows_the_summary(client, world, offers):
    text = hsds.export_json().encode()
    client = log_in(client, world.network_coordinator)
    response = client.post(
        reverse("catalogue:import"), {"file": SimpleUploadedFile("c.json", text, "application/json")}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.unchanged == {"offers": 2, "organisations": 2}
    assert summary.created == summary.updated == {"offers": 0, "organisations": 0}
    assert "The file was imported." in response.content.decode()


def test_upload_of_an_invalid_file_shows_the_errors_and_writes_nothing(client, world, offers):
    document = hsds.export_offers()
    document["contents"][0]["description"] = "A valid change that must not be saved"
    document["contents"][1]["minimum_age"] = "six"
    before = list(Offer.objects.values())
    client = log_in(client, world.network_coordinator)
    response = client.post(
        reverse("catalogue:import"),
        {"file": SimpleUploadedFile("c.json", json.dumps(document).encode(), "application/json")},
    )
    assert response.status_code == 200
    assert response.context["summary"] is None
    assert response.context["errors"] == ["service 2 (Budgethulp): minimum_age: should be a number"]
    assert "The file was refused" in response.content.decode()
    assert list(Offer.objects.values()) == before


def test_home_links_to_the_catalogue_pages(client, world):
    response = log_in(client, world.network_coordinator).get(reverse("home"))
    assert reverse("catalogue:overview") in response.content.decode()
    response = log_in(client, world.partner).get(reverse("home"))
    assert reverse("catalogue:our_offers") in response.content.decode()
    response = log_in(client, world.bridge).get(reverse("home"))
    assert reverse("catalogue:our_offers") not in response.content.decode()
