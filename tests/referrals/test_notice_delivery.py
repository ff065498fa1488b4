"""Delivering notices in-process (Celery eager, as with REDIS_URL unset): who gets which in-app
notice and e-mail nudge, the consent checked again at delivery, idempotency, digests, reminders
and stale counts, and the notices page (DESIGN.md §6, §7)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from families.models import ConsentScope
from referrals import delivery, tasks
from referrals.lifecycle import accept_referral, decline_referral, put_on_waiting_list, send_referral
from referrals.models import NoticeEvent, Notification, Referral, SchoolNotice
from tests import factories as f


@pytest.fixture
def immediate(settings):
    settings.VILLAGE_NOTICE_EMAIL = "immediate"


@pytest.fixture
def digest(settings):
    settings.VILLAGE_NOTICE_EMAIL = "digest"
    settings.VILLAGE_NOTICE_DIGEST_HOUR = 16


def _next_monday() -> datetime.date:
    """A Monday after today, so that what a test's world records now lies before it."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def draft(world, *, child=None) -> Referral:
    return f.ReferralFactory(
        family=world.family,
        child=child or world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="QUESTION-MARKER reading after school",
    )


@pytest.fixture
def referral(world) -> Referral:
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    return draft(world)


def received(user=None) -> list[tuple]:
    notices = Notification.objects.order_by("pk")
    if user is not None:
        notices = notices.filter(recipient=user)
    return list(notices.values_list("recipient__email", "kind"))


def test_lifecycle_in_eager_mode_delivers_in_app_and_by_email_once(
    world, referral, immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(referral, by=world.bridge)
    with django_capture_on_commit_callbacks(execute=True):
        accept_referral(referral, by=world.partner)

    assert received() == [
        ("partner@world.test", "new_referral"),
        ("bridge@world.test", "accepted"),
        ("zorg@world.test", "school_update"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bridge@world.test",
        "partner@world.test",
        "zorg@world.test",
    ]
    notice = SchoolNotice.objects.get()
    assert notice.sent_at is not None and notice.attempts == 1

    # Running every task again (a redelivered message, the sweep) changes nothing.
    tasks.deliver_school_notice.delay(notice.pk)
    for user in (world.partner, world.bridge, world.school_coordinator):
        tasks.send_nudge.delay(user.pk)
    tasks.sweep.delay(grace_seconds=0)
    assert len(received()) == 3
    assert len(mail.outbox) == 3


def test_decline_tells_the_referring_bridge_figure(
    world, referral, immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(referral, by=world.bridge)
        decline_referral(referral, by=world.partner, reason=Referral.DeclineReason.NO_CAPACITY)
    assert received(world.bridge) == [("bridge@world.test", "declined")]
    assert received(world.school_coordinator) == []


def test_new_referral_goes_to_every_partner_worker_of_the_receiving_organisation(
    world, referral, immediate, django_capture_on_commit_callbacks
):
    second = f.UserFactory(email="partner2@world.test")
    f.MembershipFactory(user=second, organisation=world.partner_org)
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(referral, by=world.bridge)
    assert sorted(received()) == [
        ("partner2@world.test", "new_referral"),
        ("partner@world.test", "new_referral"),
    ]
    assert received(world.outsider) == []


def test_notice_whose_consent_was_withdrawn_before_delivery_is_dropped(world, referral, caplog):
    send_referral(referral, by=world.bridge)
    accept_referral(referral, by=world.partner)  # captured on_commit: not yet delivered
    notice = SchoolNotice.objects.get()
    consent = world.family.consents.get(scope=ConsentScope.INFORM_SCHOOL)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = world.bridge
    consent.save()

    # No caplog.at_level: the project's own logging settings must let this line through.
    assert delivery.deliver_school_notice(notice.pk) == []

    notice.refresh_from_db()
    assert notice.dropped_at is not None and notice.sent_at is None
    assert received(world.school_coordinator) == []
    assert [record.getMessage() for record in caplog.records] == [
        f"school notice {notice.pk} dropped at delivery: its consent is no longer active"
    ]
    # Dropped stays dropped: the sweep does not pick it up again.
    assert delivery.sweep(grace=datetime.timedelta(0))["delivered"] == 0


def test_no_permission_notice_is_delivered_without_consent(
    world, immediate, django_capture_on_commit_callbacks
):
    world.give(ConsentScope.REFER, world.partner_org)
    request = f.SchoolRequestFactory(school=world.school, created_by=world.school_coordinator)
    referral = draft(world)
    Referral.objects.filter(pk=referral.pk).update(school_request=request, source=Referral.Source.SCHOOL)
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(referral, by=world.bridge)
        accept_referral(referral, by=world.partner)
    assert SchoolNotice.objects.get().event == NoticeEvent.NO_PERMISSION
    assert received(world.school_coordinator) == [("zorg@world.test", "school_update")]


def test_digest_sends_one_nudge_per_person_at_the_hour(
    world, referral, digest, django_capture_on_commit_callbacks
):
    world.school_coordinator.language = "en"
    world.school_coordinator.save()
    morning = timezone.make_aware(datetime.datetime.combine(_next_monday(), datetime.time(9, 0)))
    with time_machine.travel(morning, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send_referral(referral, by=world.bridge)
            accept_referral(referral, by=world.partner)
            put_on_waiting_list(referral, by=world.partner)
        assert mail.outbox == []  # digest mode: no e-mail at once
        assert delivery.sweep(grace=datetime.timedelta(0))["emailed"] == 0  # before the hour
    with time_machine.travel(morning.replace(hour=16, minute=5), tick=False):
        assert delivery.sweep()["emailed"] == 3
        assert delivery.sweep()["emailed"] == 0
    school_mail = [message for message in mail.outbox if message.to == ["zorg@world.test"]]
    assert len(school_mail) == 1
    assert "There are 2 updates for your school." in school_mail[0].body


def test_reminder_after_n_working_days_and_stale_count_after_2n(world, referral, immediate, settings):
    settings.VILLAGE_RESPONSE_WORKING_DAYS = 2
    day = _next_monday()  # the fixtures' consents are recorded now: the referral is sent after them
    monday = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    with time_machine.travel(monday, tick=False):
        send_referral(referral, by=world.bridge)
    referral.refresh_from_db()
    wednesday, thursday, friday = (day + datetime.timedelta(days=n) for n in (2, 3, 4))
    assert referral.respond_by == wednesday

    assert delivery.check_response_deadlines(today=wednesday)["reminders"] == 0
    assert delivery.check_response_deadlines(today=thursday)["reminders"] == 1
    assert delivery.check_response_deadlines(today=thursday)["reminders"] == 0
    assert received(world.network_coordinator) == []
    # 2N working days: Friday is the last day; stale from the next Monday.
    assert delivery.check_response_deadlines(today=friday)["stale"] == 0
    told = delivery.check_response_deadlines(today=day + datetime.timedelta(days=7))
    assert told == {"reminders": 0, "stale": 1, "coordinators_told": 1}
    # Not told again for the same stale referral.
    assert delivery.check_response_deadlines(today=day + datetime.timedelta(days=8))["coordinators_told"] == 0
    assert received(world.partner) == [
        ("partner@world.test", "new_referral"),
        ("partner@world.test", "reminder"),
    ]
    stale = Notification.objects.get(recipient=world.network_coordinator)
    assert (stale.kind, stale.count, stale.referral) == ("stale", 1, None)


def test_beat_schedule_names_registered_tasks(settings):
    from village.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names == {"referrals.sweep", "referrals.check_response_deadlines"}
    assert names <= set(app.tasks)


# --------------------------------------------------------------------------- the notices page


def deliver_everything(world, referral) -> None:
    send_referral(referral, by=world.bridge)
    accept_referral(referral, by=world.partner)
    for notice in SchoolNotice.objects.all():
        delivery.deliver_school_notice(notice.pk)


def test_notices_page_shows_only_own_visible_notices(world, referral, client):
    deliver_everything(world, referral)
    seen = {}
    for name, user in world.everyone.items():
        client.force_login(user)
        response = client.get(reverse("notice_list"))
        assert response.status_code == 200
        seen[name] = [n.kind for n in response.context["page_obj"].object_list]
    assert seen == {
        "bridge": ["accepted"],
        "colleague": [],
        "other_bridge": [],
        "partner": ["new_referral"],
        "outsider": [],
        "school_coordinator": ["school_update"],
        "other_school_coordinator": [],
        "network_coordinator": [],
        "administrator": [],
    }


def test_school_update_disappears_when_consent_is_withdrawn(world, referral, client):
    deliver_everything(world, referral)
    consent = world.family.consents.get(scope=ConsentScope.INFORM_SCHOOL)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = world.bridge
    consent.save()
    assert list(Notification.objects.visible_to(world.school_coordinator)) == []


def test_mark_read_and_unread_count(world, referral, client):
    deliver_everything(world, referral)
    world.school_coordinator.language = "en"
    world.school_coordinator.save()
    client.force_login(world.school_coordinator)
    page = client.get(reverse("notice_list")).content.decode()
    assert "(1 unread)" in page and "Unread" in page
    notice = Notification.objects.get(recipient=world.school_coordinator)

    assert client.post(reverse("notice_read", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "(1 unread)" not in client.get(reverse("notice_list")).content.decode()


def test_mark_read_of_someone_elses_notice_is_not_found(world, referral, client):
    deliver_everything(world, referral)
    notice = Notification.objects.get(recipient=world.school_coordinator)
    client.force_login(world.other_school_coordinator)
    assert client.post(reverse("notice_read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("rows", [1, 50])
def test_notices_page_query_count_does_not_grow_with_rows(world, client, rows, django_assert_max_num_queries):
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    for number in range(rows):
        notice = SchoolNotice.objects.create(
            school=world.school,
            child=world.child,
            event=NoticeEvent.PICKED_UP,
            bridge_figure=world.bridge,
            key=f"test:{number}:picked_up",
        )
        delivery.deliver_school_notice(notice.pk)
    client.force_login(world.school_coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("notice_list"))
    assert len(response.context["page_obj"].object_list) == min(rows, 25)
