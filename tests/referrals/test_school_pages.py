"""The school care coordinator's pages (DESIGN.md §5, §7): ask the bridge figure, my requests, and
per pupil only the minimal notices. The leak test walks a referral full of marker strings through
its whole life and proves none of them reaches a page the coordinator can open."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone, translation

from families.models import ConsentScope
from partners.models import NeedDomain, Role
from referrals import lifecycle
from referrals.models import NoticeEvent, Notification, Referral, SchoolNotice, SchoolRequest
from referrals.requests import create_school_request, link_school_request, pick_up_school_request

from .. import factories as f
from ..conftest import CONSENT_STATES

MARKERS = {
    "question": "LEAKQUESTION-7f3",
    "domain_nl": "LEAKDOMAINNL-7f3",
    "domain_fr": "LEAKDOMAINFR-7f3",
    "domain_en": "LEAKDOMAINEN-7f3",
    "organisation": "LEAKORG-7f3",
    "offer": "LEAKOFFER-7f3",
    "contact": "LEAKCONTACT-7f3",
    "interim": "LEAKINTERIM-7f3",
    "decline": "LEAKDECLINE-7f3",
    "decline_question": "LEAKDECLINEQUESTION-7f3",
    **{f"note_{step}": f"LEAKNOTE-{step}-7f3" for step in ("accept", "wait", "contact", "start", "close")},
}


def in_language(user, language: str = "en"):
    user.language = language
    user.save(update_fields=["language"])
    return user


def deliver(django_capture_on_commit_callbacks, action, *args, **kwargs):
    """Run a business action and its after-commit delivery now (Celery is eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        return action(*args, **kwargs)


@pytest.fixture
def leaky(world, django_capture_on_commit_callbacks):
    """A referral for Noor (pupil of `school`) that answers the school's request, full of markers,
    walked accept → waiting → contact made → started → closed with an active `inform_school`
    consent; and a declined referral for Sami with a marked reason."""
    domain = NeedDomain.objects.create(
        code="leak-domain",
        label_nl=MARKERS["domain_nl"],
        label_fr=MARKERS["domain_fr"],
        label_en=MARKERS["domain_en"],
    )
    world.partner_org.name = MARKERS["organisation"]
    world.partner_org.save()
    offer = f.OfferFactory(organisation=world.partner_org, name=MARKERS["offer"])
    for scope, recipient in [
        (ConsentScope.REGISTER, world.team),
        (ConsentScope.REFER, world.partner_org),
        (ConsentScope.INFORM_SCHOOL, world.school),
    ]:
        world.give(scope, recipient)
    world.give(ConsentScope.REFER, world.partner_org, child=world.teen)

    school_request = create_school_request(
        school=world.school,
        by=world.school_coordinator,
        pupil_first_name="Noor",
        pupil_last_name="Leaksma",
        grade="3",
        reason="Please contact the family.",
        parents_know=SchoolRequest.ParentsKnow.YES,
    )
    pick_up_school_request(school_request=school_request, by=world.bridge)
    referral = f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        offer=offer,
        receiving_contact=MARKERS["contact"],
        question=MARKERS["question"],
        source=Referral.Source.SCHOOL,
        need_domains=[domain],
    )
    deliver(
        django_capture_on_commit_callbacks,
        link_school_request,
        school_request=school_request,
        by=world.bridge,
        referral=referral,
    )
    partner = world.partner
    steps = [
        (lifecycle.send_referral, {"by": world.bridge}),
        (lifecycle.accept_referral, {"by": partner, "note": MARKERS["note_accept"]}),
        (
            lifecycle.put_on_waiting_list,
            {"by": partner, "interim_support": MARKERS["interim"], "note": MARKERS["note_wait"]},
        ),
        (lifecycle.record_contact, {"by": partner, "note": MARKERS["note_contact"]}),
        (lifecycle.start_support, {"by": partner, "note": MARKERS["note_start"]}),
        (
            lifecycle.close_referral,
            {"by": partner, "outcome": Referral.Outcome.PARTLY_RESOLVED, "note": MARKERS["note_close"]},
        ),
    ]
    for action, kwargs in steps:
        deliver(django_capture_on_commit_callbacks, action, referral, **kwargs)

    declined = f.ReferralFactory(
        family=world.family,
        child=world.teen,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question=MARKERS["decline_question"],
        need_domains=[domain],
    )
    deliver(django_capture_on_commit_callbacks, lifecycle.send_referral, declined, by=world.bridge)
    deliver(
        django_capture_on_commit_callbacks,
        lifecycle.decline_referral,
        declined,
        by=partner,
        reason=Referral.DeclineReason.OTHER,
        note=MARKERS["decline"],
    )
    referral.refresh_from_db()
    return {"referral": referral, "declined": declined, "request": school_request}


def app_urls(world, leaky) -> tuple[list[str], list[str]]:
    """Every URL of the families and referrals apps: those about one object (filled with the
    objects of this world, each referral action by name) and the list/create pages."""
    from referrals.lifecycle import TRANSITIONS

    values = {
        "family_pk": [world.family.pk],
        "guardian_pk": [world.guardian.pk],
        "child_pk": [world.child.pk],
        "consent_pk": [world.family.consents.first().pk],
        "action": sorted(TRANSITIONS),
    }
    object_urls, list_urls = [], []
    for module in ("families.urls", "referrals.urls"):
        for pattern in get_resolver(module).url_patterns:
            assert isinstance(pattern, URLPattern)
            names = list(pattern.pattern.converters)
            if not names:
                list_urls.append(reverse(pattern.name))
                continue
            if module == "referrals.urls" and "school-requests" in str(pattern.pattern):
                pks = [leaky["request"].pk]
            elif module == "referrals.urls":
                pks = [leaky["referral"].pk, leaky["declined"].pk]
            else:
                pks = [world.family.pk]
            choices = [[{name: value} for value in (pks if name == "pk" else values[name])] for name in names]
            for combination in itertools.product(*choices):
                kwargs = {key: value for part in combination for key, value in part.items()}
                object_urls.append(reverse(pattern.name, kwargs=kwargs))
    return object_urls, list_urls


def assert_no_marker(body: str, where: str) -> None:
    found = [marker for marker in MARKERS.values() if marker in body]
    assert found == [], f"{where} shows {found}"


def test_the_markers_are_on_the_referral_page_for_the_bridge_figure(client, world, leaky):
    # The leak test below would prove nothing if the markers were nowhere to be read.
    client.force_login(in_language(world.bridge, "en"))
    body = client.get(reverse("referral_detail", args=[leaky["referral"].pk])).content.decode()
    assert {MARKERS["question"], MARKERS["organisation"], MARKERS["note_close"]} <= {
        marker for marker in MARKERS.values() if marker in body
    }


def test_school_coordinator_never_reads_referral_content_on_any_page(client, world, leaky):
    coordinator = in_language(world.school_coordinator, "en")
    client.force_login(coordinator)

    own_pages = [
        reverse("home"),
        reverse("notice_list"),
        reverse("school_request_create"),
        reverse("school_request_mine"),
        reverse("school_pupils"),
    ]
    for url in own_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_marker(response.content.decode(), url)
    object_urls, list_urls = app_urls(world, leaky)
    assert len(object_urls) > 20
    for url in object_urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404, url
            assert_no_marker(response.content.decode(), url)
    # The list and create pages of the bridge and partner side show the school nothing either.
    for url in list_urls:
        response = client.get(url)
        assert response.status_code in {200, 302, 404}, url
        assert_no_marker(response.content.decode(), url)

    pupils = client.get(reverse("school_pupils")).content.decode()
    with translation.override("en"):
        for event in (NoticeEvent.PICKED_UP, NoticeEvent.WAITING, NoticeEvent.STARTED, NoticeEvent.ENDED):
            assert str(event.label) in pupils
        assert str(Referral.Outcome.PARTLY_RESOLVED.label) not in pupils
        assert str(Referral.DeclineReason.OTHER.label) not in pupils
    assert "Noor Leaksma" in pupils
    assert world.bridge.get_full_name() in pupils
    # The declined referral told the school nothing: Sami is not on the page.
    assert "Sami" not in pupils


def test_pupils_page_lists_the_events_in_time_order(client, world, leaky):
    client.force_login(in_language(world.school_coordinator, "en"))
    response = client.get(reverse("school_pupils"))
    [pupil] = response.context["pupils"]
    assert [notice.event for notice in pupil.notices] == [
        NoticeEvent.PICKED_UP,
        NoticeEvent.WAITING,
        NoticeEvent.STARTED,
        NoticeEvent.ENDED,
    ]
    assert pupil.school_request == leaky["request"]
    assert pupil.bridge_figure == world.bridge
    assert "Support has started." in response.content.decode()


@pytest.mark.parametrize("role", ["other_school_coordinator", "partner", "bridge", "network_coordinator"])
def test_other_people_see_none_of_the_school_pages(client, world, leaky, role):
    user = getattr(world, role)
    client.force_login(user)
    if role == "other_school_coordinator":
        assert client.get(reverse("school_pupils")).context["pupils"] == []
        assert list(client.get(reverse("school_request_mine")).context["school_requests"]) == []
        assert list(SchoolNotice.objects.visible_to(user)) == []
        body = client.get(reverse("school_pupils")).content.decode()
        assert "Noor" not in body
    else:
        for name in ("school_pupils", "school_request_mine", "school_request_create"):
            assert client.get(reverse(name)).status_code == 404


def test_request_linked_to_a_family_without_inform_school_shows_no_permission(
    client, world, django_capture_on_commit_callbacks
):
    world.give(ConsentScope.REGISTER, world.team)
    world.give(ConsentScope.INFORM_SCHOOL, world.other_school)  # consent to another school only
    school_request = f.SchoolRequestFactory(
        school=world.school, created_by=world.school_coordinator, pupil_first_name="Noor"
    )
    other_request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    pick_up_school_request(school_request=school_request, by=world.bridge)
    deliver(
        django_capture_on_commit_callbacks,
        link_school_request,
        school_request=school_request,
        by=world.bridge,
        family=world.family,
    )

    notice = SchoolNotice.objects.get()
    assert (notice.event, notice.school_request, notice.sent_at is not None) == (
        NoticeEvent.NO_PERMISSION,
        school_request,
        True,
    )
    assert list(SchoolNotice.objects.visible_to(world.school_coordinator)) == [notice]
    assert list(SchoolNotice.objects.visible_to(world.other_school_coordinator)) == []
    assert list(
        Notification.objects.visible_to(world.school_coordinator).values_list("school_notice", flat=True)
    ) == [notice.pk]

    client.force_login(in_language(world.school_coordinator, "en"))
    pupils = {
        pupil.school_request.pk: pupil for pupil in client.get(reverse("school_pupils")).context["pupils"]
    }
    assert set(pupils) == {school_request.pk, other_request.pk}
    assert [n.event for n in pupils[school_request.pk].notices] == [NoticeEvent.NO_PERMISSION]
    assert pupils[other_request.pk].notices == []
    assert "No updates can be shared: no permission from the family." in (
        client.get(reverse("school_pupils")).content.decode()
    )


def test_linking_with_inform_school_consent_writes_no_notice(world, django_capture_on_commit_callbacks):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    school_request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    pick_up_school_request(school_request=school_request, by=world.bridge)
    deliver(
        django_capture_on_commit_callbacks,
        link_school_request,
        school_request=school_request,
        by=world.bridge,
        family=world.family,
    )
    assert list(SchoolNotice.objects.all()) == []


def test_asking_the_bridge_figure_creates_the_request_and_tells_the_covering_bridge_figure(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(in_language(world.school_coordinator, "en"))
    page = client.get(reverse("school_request_create")).content.decode()
    assert "no diagnoses" in page.lower()
    assert 'name="school"' not in page  # one school: nothing to choose
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("school_request_create"),
            {
                "pupil_first_name": "Lina",
                "pupil_last_name": "Vos",
                "grade": "5",
                "reason": "Please call the mother.",
                "parents_know": "yes",
            },
            follow=True,
        )
    assert response.redirect_chain == [(reverse("school_request_mine"), 302)]
    assert "Your question was sent to the bridge figure." in response.content.decode()
    request_ = SchoolRequest.objects.get()
    assert (request_.school, request_.created_by, request_.status, request_.parents_know) == (
        world.school,
        world.school_coordinator,
        SchoolRequest.Status.OPEN,
        "yes",
    )
    assert list(Notification.objects.values_list("recipient__email", "kind")) == [
        ("bridge@world.test", Notification.Kind.NEW_SCHOOL_REQUEST)
    ]
    assert [r.pk for r in response.context["school_requests"]] == [request_.pk]


def test_coordinator_of_several_schools_chooses_only_among_their_schools(client, world):
    f.MembershipFactory(
        user=world.school_coordinator, organisation=world.other_school, role=Role.SCHOOL_COORDINATOR
    )
    third = f.SchoolFactory(name="Basisschool Elders")
    client.force_login(in_language(world.school_coordinator, "en"))
    form = client.get(reverse("school_request_create")).context["form"]
    assert set(form.fields["school"].queryset) == {world.school, world.other_school}
    data = {
        "pupil_first_name": "Lina",
        "pupil_last_name": "Vos",
        "grade": "5",
        "reason": "Please call.",
        "parents_know": "no",
    }
    refused = client.post(reverse("school_request_create"), {**data, "school": third.pk})
    assert refused.status_code == 200 and "school" in refused.context["form"].errors
    client.post(reverse("school_request_create"), {**data, "school": world.other_school.pk})
    assert list(SchoolRequest.objects.values_list("school", flat=True)) == [world.other_school.pk]


def test_create_school_request_refuses_a_school_that_is_not_yours(world):
    with pytest.raises(PermissionError):
        create_school_request(
            school=world.other_school,
            by=world.school_coordinator,
            pupil_first_name="A",
            pupil_last_name="B",
            grade="1",
            reason="x",
            parents_know="yes",
        )
    assert SchoolRequest.objects.count() == 0


def test_form_errors_are_shown_in_the_users_language(client, world):
    client.force_login(in_language(world.school_coordinator, "fr"))
    response = client.post(reverse("school_request_create"), {"pupil_first_name": "Lina"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert SchoolRequest.objects.count() == 0


def test_my_requests_shows_status_date_and_who_picked_it_up(client, world):
    world.bridge.phone = "+32 470 12 34 56"
    world.bridge.save()
    picked = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    pick_up_school_request(school_request=picked, by=world.bridge)
    open_ = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    f.SchoolRequestFactory(school=world.other_school, created_by=world.other_school_coordinator)
    client.force_login(in_language(world.school_coordinator, "en"))
    response = client.get(reverse("school_request_mine"))
    assert {r.pk for r in response.context["school_requests"]} == {picked.pk, open_.pk}
    body = response.content.decode()
    assert "+32 470 12 34 56" in body and world.bridge.email in body
    assert "picked up" in body and "open" in body


def pupils_with_updates(world, count: int) -> None:
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    for _n in range(count):
        child = f.ChildFactory(family=world.family, school=world.school)
        request_ = f.SchoolRequestFactory(
            school=world.school, created_by=world.school_coordinator, child=child, picked_up_by=world.bridge
        )
        for event in (NoticeEvent.PICKED_UP, NoticeEvent.STARTED):
            SchoolNotice.objects.create(
                school=world.school,
                child=child,
                event=event,
                bridge_figure=world.bridge,
                key=f"test:{child.pk}:{event}",
                sent_at=request_.created_at,
            )
        no_permission_request = f.SchoolRequestFactory(
            school=world.school, created_by=world.school_coordinator
        )
        SchoolNotice.objects.create(
            school=world.school,
            school_request=no_permission_request,
            event=NoticeEvent.NO_PERMISSION,
            bridge_figure=world.bridge,
            key=f"test:{child.pk}:no_permission",
            sent_at=request_.created_at,
        )


@pytest.mark.parametrize("name", ["school_pupils", "school_request_mine"])
def test_school_pages_query_count_holds_with_1_and_50_pupils(client, world, name):
    client.force_login(world.school_coordinator)
    counts = {}
    for total in (1, 50):
        pupils_with_updates(world, total - (1 if total == 50 else 0))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts[total] = len(queries)
    if name == "school_pupils":
        assert len(response.context["pupils"]) == 100
    assert counts[1] == counts[50]


def test_bridge_figure_is_nudged_by_email_without_the_pupils_name(
    world, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.VILLAGE_NOTICE_EMAIL = "immediate"
    in_language(world.bridge, "en")
    deliver(
        django_capture_on_commit_callbacks,
        create_school_request,
        school=world.school,
        by=world.school_coordinator,
        pupil_first_name="Lina",
        pupil_last_name="Vossaert",
        grade="5",
        reason="Please call the mother.",
        parents_know="not_sure",
    )
    [message] = mail.outbox
    assert message.to == [world.bridge.email]
    assert "1 new request from a school you cover." in message.body
    html = message.alternatives[0][0]
    assert [
        text for text in ("Lina", "Vossaert", world.school.name, "mother") if text in message.body + html
    ] == []


@pytest.mark.parametrize("state", CONSENT_STATES)
@pytest.mark.parametrize("role", ["school_coordinator", "other_school_coordinator"])
def test_pupils_page_shows_events_only_while_inform_school_is_active(client, world, state, role):
    """The consent is read when the page is read: notices already delivered vanish from the page
    once the consent has expired or been withdrawn; another school never sees them."""
    world.give(ConsentScope.INFORM_SCHOOL, world.school, state=state)
    for event in (NoticeEvent.PICKED_UP, NoticeEvent.STARTED):
        SchoolNotice.objects.create(
            school=world.school,
            child=world.child,
            event=event,
            bridge_figure=world.bridge,
            key=f"state:{event}",
            sent_at=timezone.now(),
        )
    client.force_login(getattr(world, role))
    pupils = client.get(reverse("school_pupils")).context["pupils"]
    seen = {(pupil.name, notice.event) for pupil in pupils for notice in pupil.notices}
    expected = (
        {("Noor Leaksma", NoticeEvent.PICKED_UP), ("Noor Leaksma", NoticeEvent.STARTED)}
        if role == "school_coordinator" and state == "active"
        else set()
    )
    assert seen == expected
