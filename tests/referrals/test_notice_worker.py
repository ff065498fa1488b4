"""The notice pipeline on real services (DESIGN.md §7): a real Redis, a real `celery worker`
process on the test database, e-mails written to files. A referral goes through its lifecycle and
exactly the expected notices and e-mails arrive, once each; with the broker down, changes still
commit and notices wait, and once it is back every notice is delivered exactly once.

Each xdist worker uses its own Redis database (gw0 → 13, gw1 → 14, otherwise the one of
VILLAGE_TEST_REDIS_URL) so two test processes never take each other's tasks. Without Redis the
tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from families.models import ConsentScope
from referrals.lifecycle import (
    accept_referral,
    close_referral,
    put_on_waiting_list,
    record_contact,
    send_referral,
    start_support,
)
from referrals.models import NoticeEvent, Notification, Referral, SchoolNotice, Status
from referrals.testing import (
    CeleryWorker,
    PrivateRedis,
    celery_through,
    read_mails,
    redis_answers,
    wait_until,
)
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def redis_url_for_this_process() -> str:
    base = os.environ.get("VILLAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    match = re.fullmatch(r"gw(\d+)", worker)
    if not match:
        return base
    return re.sub(r"/\d*$", "", base) + f"/{13 + int(match.group(1))}"


def require_redis(url: str) -> None:
    if redis_answers(url):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: Redis is required at {url}")
    pytest.skip(f"Redis does not answer at {url}")


@pytest.fixture
def redis_url() -> str:
    import redis

    url = redis_url_for_this_process()
    require_redis(url)
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def immediate_email(settings):
    settings.VILLAGE_NOTICE_EMAIL = "immediate"


@pytest.fixture
def worker(redis_url, tmp_path, immediate_email):
    """A worker on this process's Redis database; this process sends its tasks there too."""
    with celery_through(redis_url):
        process = CeleryWorker(redis_url, tmp_path / "mail", env={"VILLAGE_NOTICE_EMAIL": "immediate"})
        try:
            process.start()
            yield process
        finally:
            process.stop()


def referral_about_child(world) -> Referral:
    world.give(ConsentScope.REFER, world.partner_org)
    world.give(ConsentScope.INFORM_SCHOOL, world.school)
    return f.ReferralFactory(
        family=world.family,
        child=world.child,
        created_by=world.bridge,
        receiving_organisation=world.partner_org,
        question="Noor wants help with reading after school.",
    )


def delivered() -> Counter:
    return Counter(Notification.objects.values_list("recipient__email", "kind"))


def mails_to(mail_dir) -> Counter:
    return Counter(message["To"] for message in read_mails(mail_dir))


def test_worker_delivers_each_notice_of_a_lifecycle_exactly_once(world, worker):
    referral = referral_about_child(world)
    mail_dir = worker.mail_dir
    expected_notices: Counter = Counter()
    expected_mails: Counter = Counter()

    def step(change, notices: dict, mails: dict) -> None:
        change()
        expected_notices.update(notices)
        expected_mails.update(mails)
        wait_until(lambda: delivered() == expected_notices, what=f"notices {dict(expected_notices)}")
        wait_until(lambda: mails_to(mail_dir) == expected_mails, what=f"e-mails {dict(expected_mails)}")

    partner, bridge, school = world.partner.email, world.bridge.email, world.school_coordinator.email
    step(lambda: send_referral(referral, by=world.bridge), {(partner, "new_referral"): 1}, {partner: 1})
    step(
        lambda: accept_referral(referral, by=world.partner),
        {(bridge, "accepted"): 1, (school, "school_update"): 1},
        {bridge: 1, school: 1},
    )
    step(lambda: put_on_waiting_list(referral, by=world.partner), {(school, "school_update"): 1}, {school: 1})
    step(lambda: record_contact(referral, by=world.partner), {(school, "school_update"): 1}, {school: 1})
    step(lambda: start_support(referral, by=world.partner), {}, {})
    step(
        lambda: close_referral(referral, by=world.partner, outcome=Referral.Outcome.RESOLVED),
        {(school, "school_update"): 1},
        {school: 1},
    )

    # The sweep (what Celery beat runs) finds nothing left behind and doubles nothing.
    from referrals import tasks

    result = tasks.sweep.delay(grace_seconds=0).get(timeout=30)
    assert result == {"delivered": 0, "failed": 0, "emailed": 0}
    assert delivered() == expected_notices
    assert mails_to(mail_dir) == expected_mails
    assert sorted(SchoolNotice.objects.values_list("event", flat=True)) == sorted(
        [NoticeEvent.PICKED_UP, NoticeEvent.WAITING, NoticeEvent.STARTED, NoticeEvent.ENDED]
    )
    assert not SchoolNotice.objects.filter(sent_at=None).exists()
    assert set(SchoolNotice.objects.values_list("attempts", flat=True)) == {1}


def test_broker_down_changes_commit_and_notices_wait_then_arrive_once(world, tmp_path, immediate_email):
    broker = PrivateRedis()
    try:
        broker.start()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {exc}")
        pytest.skip(str(exc))
    worker = CeleryWorker(broker.url, tmp_path / "mail", env={"VILLAGE_NOTICE_EMAIL": "immediate"})
    try:
        with celery_through(broker.url):
            worker.start()
            referral = referral_about_child(world)

            broker.stop()
            send_referral(referral, by=world.bridge)
            accept_referral(referral, by=world.partner)
            put_on_waiting_list(referral, by=world.partner)

            # The changes committed; nothing was delivered; the notices wait in the outbox.
            assert Referral.objects.get(pk=referral.pk).status == Status.WAITING
            assert list(
                SchoolNotice.objects.filter(sent_at=None).order_by("pk").values_list("event", flat=True)
            ) == [
                NoticeEvent.PICKED_UP,
                NoticeEvent.WAITING,
            ]
            assert not Notification.objects.filter(kind=Notification.Kind.SCHOOL_UPDATE).exists()
            assert read_mails(worker.mail_dir) == []

            broker.start()
            worker.wait_ready(timeout=60)
            from referrals import tasks

            first = tasks.sweep.delay(grace_seconds=0).get(timeout=60)
            again = tasks.sweep.delay(grace_seconds=0).get(timeout=60)
    finally:
        worker.stop()
        broker.stop()

    assert first["delivered"] == 2
    assert again == {"delivered": 0, "failed": 0, "emailed": 0}
    assert not SchoolNotice.objects.filter(sent_at=None).exists()
    assert delivered() == Counter(
        {
            (world.partner.email, "new_referral"): 1,
            (world.bridge.email, "accepted"): 1,
            (world.school_coordinator.email, "school_update"): 2,
        }
    )
    # One nudge each: the school's counts both updates ("2 updates for your school").
    mails = read_mails(worker.mail_dir)
    assert Counter(message["To"] for message in mails) == Counter(
        {world.partner.email: 1, world.bridge.email: 1, world.school_coordinator.email: 1}
    )
