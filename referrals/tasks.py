"""Celery tasks for notices and reminders: IDs in, one call into referrals/delivery.py, retries
with backoff. Each is idempotent, so a redelivered message (late acknowledgement) or a retry after
a half-done run changes nothing twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings

from . import delivery

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "ignore_result": True,
}


@shared_task(name="referrals.deliver_school_notice", bind=True, **RETRY)
def deliver_school_notice(self, notice_id: int) -> None:
    try:
        waiting = delivery.deliver_school_notice(notice_id)
    except Exception as exc:
        delivery.record_failure(notice_id, exc)
        raise
    if settings.VILLAGE_NOTICE_EMAIL == "immediate":
        for user_id in waiting:
            delivery.send_nudge(user_id)


@shared_task(name="referrals.send_nudge", **RETRY)
def send_nudge(user_id: int) -> None:
    delivery.send_nudge(user_id)


@shared_task(name="referrals.sweep")
def sweep(grace_seconds: int | None = None) -> dict:
    if grace_seconds is None:
        return delivery.sweep()
    return delivery.sweep(grace=datetime.timedelta(seconds=grace_seconds))


@shared_task(name="referrals.check_response_deadlines")
def check_response_deadlines() -> dict:
    return delivery.check_response_deadlines()
