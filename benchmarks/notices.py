"""Push school notices through a real Redis and real Celery workers; print throughput, lost and
duplicated counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_notices_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 \\
    .venv/bin/python benchmarks/notices.py --notices 10000 --workers 2

Creates the database if it is missing and migrates it; empties the Redis database it is given.
Each notice is about one pupil of one school with an active `inform_school` consent, so every
delivery does the real work: lock the outbox row, check the consent again, write the in-app notice
of the school's care coordinator, mark the row sent. E-mail is set to the daily digest, so the
benchmark measures delivery, not a mail server. "Lost" is a notice never delivered; "duplicated"
is a notice that reached its coordinator more than once (the unique key forbids it: this checks it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "village.settings")
os.environ["VILLAGE_NOTICE_EMAIL"] = "digest"


def ensure_database(url: str) -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("The benchmark needs PostgreSQL: set DATABASE_URL.")
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (each --pool=solo)")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL (a Redis database it may empty).")
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()

    from families.models import Child, Consent, ConsentScope, Family, Guardian
    from partners.models import Membership, Organisation, Role
    from referrals import tasks
    from referrals.models import NoticeEvent, Notification, SchoolNotice
    from referrals.testing import CeleryWorker, wait_until
    from village.models import User

    run = uuid.uuid4().hex[:8]
    school = Organisation.objects.create(name=f"Bench school {run}", kind=Organisation.Kind.SCHOOL)
    team = Organisation.objects.create(name=f"Bench team {run}", kind=Organisation.Kind.BRIDGE_TEAM)
    coordinator = User.objects.create_user(f"zorg-{run}@bench.test")
    bridge = User.objects.create_user(f"bridge-{run}@bench.test")
    Membership.objects.create(user=coordinator, organisation=school, role=Role.SCHOOL_COORDINATOR)
    family = Family.objects.create(holding_team=team, primary_bridge_figure=bridge)
    guardian = Guardian.objects.create(family=family, first_name="Bench", last_name="Guardian")
    child = Child.objects.create(
        family=family, first_name="Bench", last_name="Pupil", birth_year=2018, school=school
    )
    Consent.objects.create(
        family=family,
        scope=ConsentScope.INFORM_SCHOOL,
        recipient=school,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian=guardian,
        method=Consent.Method.VERBAL,
        text_version=settings.VILLAGE_CONSENT_TEXT_VERSION,
        recorded_by=bridge,
    )
    notices = SchoolNotice.objects.bulk_create(
        SchoolNotice(
            school=school,
            child=child,
            event=NoticeEvent.PICKED_UP,
            bridge_figure=bridge,
            key=f"bench:{run}:{number}:picked_up",
        )
        for number in range(args.notices)
    )
    ids = [notice.pk for notice in notices]
    ours = SchoolNotice.objects.filter(pk__in=ids)

    with tempfile.TemporaryDirectory() as tmp:
        workers = [
            CeleryWorker(
                os.environ["REDIS_URL"],
                Path(tmp) / f"mail{n}",
                env={"VILLAGE_NOTICE_EMAIL": "digest", "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")},
            )
            for n in range(args.workers)
        ]
        try:
            for worker in workers:
                worker.start()
            started = time.perf_counter()
            for notice_id in ids:
                tasks.deliver_school_notice.delay(notice_id)
            published = time.perf_counter() - started
            with contextlib.suppress(AssertionError):
                wait_until(
                    lambda: not ours.filter(sent_at=None).exists(),
                    timeout=args.timeout,
                    interval=0.5,
                    what="delivery",
                )
            elapsed = time.perf_counter() - started
        finally:
            for worker in workers:
                worker.stop()

    delivered = ours.exclude(sent_at=None).count()
    in_app = Notification.objects.filter(school_notice_id__in=ids)
    reached = in_app.values("school_notice_id").distinct().count()
    lost = args.notices - reached
    duplicated = in_app.count() - reached
    retried = ours.filter(attempts__gt=1).count()
    print(f"notices:        {args.notices}")
    print(f"workers:        {args.workers} (--pool=solo each)")
    print(f"published in:   {published:.2f} s ({args.notices / published:.0f}/s)")
    print(f"delivered in:   {elapsed:.2f} s ({delivered / elapsed:.0f} notices/s end to end)")
    print(f"delivered:      {delivered}")
    print(f"lost:           {lost}")
    print(f"duplicated:     {duplicated}")
    print(f"retried:        {retried}")
    if lost or duplicated:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
