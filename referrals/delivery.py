"""Delivering notices (DESIGN.md §6, §7): what the Celery tasks in referrals/tasks.py call.

A change writes its outbox rows (SchoolNotice, Notification) in its own transaction; after the
commit `queue_delivery` hands their IDs to Celery. Delivering a school notice checks its consent
again, then writes one in-app Notification per care coordinator of the school. E-mails are nudges:
a count and a link, never a name, need, organisation or status. Every step is idempotent (row locks
and unique keys), so a retry, a redelivered message or the sweep running alongside changes nothing
twice. The sweep (Celery beat) picks up whatever was left behind: broker down, worker killed.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Membership, Role
from village.models import User

from .lifecycle import add_working_days
from .models import Notification, Referral, SchoolNotice
from .notices import partner_workers_of, school_notice_still_allowed, write_notifications

logger = logging.getLogger(__name__)

# The sweep leaves fresh rows to the task queued at commit, so the two rarely meet (they may: locks
# and keys make that harmless).
SWEEP_GRACE = datetime.timedelta(minutes=2)


def queue_delivery(*, school_notice_ids=(), user_ids=()) -> None:
    """After the current transaction commits, queue delivery. A broker that is down must not undo
    or break the change: the error is logged (robust) and the sweep delivers later."""
    from . import tasks

    for notice_id in school_notice_ids:
        transaction.on_commit(_enqueue(tasks.deliver_school_notice, notice_id), robust=True)
    if settings.VILLAGE_NOTICE_EMAIL == "immediate":
        for user_id in user_ids:
            transaction.on_commit(_enqueue(tasks.send_nudge, user_id), robust=True)


def _enqueue(task, object_id: int):
    def enqueue() -> None:
        task.delay(object_id)

    # Django names the callback in its log line when a robust on_commit fails.
    enqueue.__qualname__ = f"{task.name}({object_id})"
    return enqueue


def school_coordinators_of(school_id: int) -> list[int]:
    return list(
        Membership.objects.active()
        .filter(organisation_id=school_id, role=Role.SCHOOL_COORDINATOR)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def deliver_school_notice(notice_id: int) -> list[int]:
    """Deliver one school notice in-app to the school's care coordinators, once. Returns the
    people who still wait for an e-mail nudge about it. A notice whose consent is gone is
    dropped: marked, logged by number only, and never delivered."""
    with transaction.atomic():
        notice = (
            SchoolNotice.objects.select_for_update(of=("self",))
            .select_related("child__family")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.dropped_at is not None:
            return []
        if notice.sent_at is None:
            now = timezone.now()
            notice.attempts += 1
            if not school_notice_still_allowed(notice):
                notice.dropped_at = now
                notice.save(update_fields=["dropped_at", "attempts"])
                logger.info(
                    "school notice %s dropped at delivery: its consent is no longer active", notice.pk
                )
                return []
            write_notifications(
                kind=Notification.Kind.SCHOOL_UPDATE,
                source_key=notice.key,
                recipients=school_coordinators_of(notice.school_id),
                school_notice=notice,
            )
            notice.sent_at = now
            notice.last_error = ""
            notice.save(update_fields=["sent_at", "attempts", "last_error"])
    return list(
        Notification.objects.filter(school_notice_id=notice_id, emailed_at=None).values_list(
            "recipient_id", flat=True
        )
    )


def record_failure(notice_id: int, error: BaseException) -> None:
    """Keep the attempt and the error's kind on the outbox row (never its message: it could
    quote data)."""
    SchoolNotice.objects.filter(pk=notice_id, sent_at=None).update(last_error=error.__class__.__name__[:300])


def send_nudge(user_id: int, *, created_before: datetime.datetime | None = None) -> int:
    """E-mail one person a nudge about their notices not yet e-mailed: how many, of which kind,
    and a link. Returns how many the e-mail counted (0: no e-mail). The rows are locked and
    marked in the same transaction as the sending, so two runs never count the same notice."""
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return 0
        pending = Notification.objects.select_for_update().filter(recipient_id=user_id, emailed_at=None)
        if created_before is not None:
            pending = pending.filter(created_at__lt=created_before)
        pending_ids = list(pending.values_list("pk", flat=True))
        if not pending_ids:
            return 0
        # Count only what the person may see now: a school update whose consent was withdrawn
        # since is passed over in silence.
        visible = Notification.objects.visible_to(user).filter(pk__in=pending_ids)
        counted = list(visible.values_list("kind", "count"))
        kinds: Counter = Counter()
        for kind, count in counted:
            kinds[kind] += count if kind == Notification.Kind.STALE and count else 1
        Notification.objects.filter(pk__in=pending_ids).update(emailed_at=timezone.now())
        total = len(counted)
        if total:
            send_nudge_email(user, kinds=kinds, total=total)
    return total


def render_nudge(user, *, kinds: dict, total: int) -> tuple[str, str, str]:
    """Subject, text and HTML of a nudge, in the person's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "total": total,
            "school_updates": kinds.get(Notification.Kind.SCHOOL_UPDATE, 0),
            "new_referrals": kinds.get(Notification.Kind.NEW_REFERRAL, 0),
            "answers": kinds.get(Notification.Kind.ACCEPTED, 0) + kinds.get(Notification.Kind.DECLINED, 0),
            "reminders": kinds.get(Notification.Kind.REMINDER, 0),
            "stale": kinds.get(Notification.Kind.STALE, 0),
            "school_requests": kinds.get(Notification.Kind.NEW_SCHOOL_REQUEST, 0),
            "url": settings.VILLAGE_BASE_URL + reverse("notice_list"),
            "language": translation.get_language(),
        }
        subject = render_to_string("emails/nudge_subject.txt", context).strip()
        text = render_to_string("emails/nudge.txt", context)
        html = render_to_string("emails/nudge.html", context)
    return subject, text, html


def send_nudge_email(user, *, kinds: dict, total: int) -> None:
    subject, text, html = render_nudge(user, kinds=kinds, total=total)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def digest_moment(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Today's digest time if it has passed (local time), else None: a digest then counts what
    was delivered before that moment; later notices wait for tomorrow's."""
    local = timezone.localtime(now)
    moment = local.replace(hour=settings.VILLAGE_NOTICE_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if local >= moment else None


def users_waiting_for_email(created_before: datetime.datetime) -> list[int]:
    return list(
        Notification.objects.filter(emailed_at=None, created_at__lt=created_before)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def sweep(*, grace: datetime.timedelta = SWEEP_GRACE, now: datetime.datetime | None = None) -> dict:
    """Deliver what was left behind and send what e-mail is due. Returns counts for the log."""
    clock = now
    now = now or timezone.now()
    delivered = failed = 0
    left_behind = SchoolNotice.objects.filter(
        sent_at=None, dropped_at=None, deliver_after__lte=now - grace
    ).values_list("pk", flat=True)
    for notice_id in list(left_behind.order_by("pk")):
        try:
            deliver_school_notice(notice_id)
            delivered += 1
        except Exception as exc:  # one bad row must not hold up the others
            failed += 1
            record_failure(notice_id, exc)
            logger.warning(
                "school notice %s not delivered by the sweep: %s", notice_id, exc.__class__.__name__
            )
    if settings.VILLAGE_NOTICE_EMAIL == "immediate":
        # After the deliveries above, so what they just wrote is e-mailed in this same run.
        created_before = (clock or timezone.now()) - grace
    else:
        created_before = digest_moment(now)
    emailed = 0
    if created_before is not None:
        for user_id in users_waiting_for_email(created_before):
            emailed += bool(send_nudge(user_id, created_before=created_before))
    return {"delivered": delivered, "failed": failed, "emailed": emailed}


def check_response_deadlines(today: datetime.date | None = None) -> dict:
    """Referrals sent and still unanswered: after N working days (their respond-by date) remind
    the receiving organisation, once; after 2N tell the network coordinators how many are stale,
    when one became stale since they were last told. Only a count, never which."""
    today = today or timezone.localdate()
    days = settings.VILLAGE_RESPONSE_WORKING_DAYS
    reminded: list[int] = []
    stale_since: dict[int, datetime.date] = {}
    for referral in Referral.objects.awaiting_answer().filter(respond_by__lt=today).order_by("pk"):
        with transaction.atomic():
            written = write_notifications(
                kind=Notification.Kind.REMINDER,
                source_key=f"referral:{referral.pk}:reminder",
                recipients=partner_workers_of(referral.receiving_organisation_id),
                referral=referral,
            )
            queue_delivery(user_ids=[row.recipient_id for row in written])
        reminded += [row.recipient_id for row in written]
        stale_on = add_working_days(referral.respond_by, days)
        if stale_on < today:
            stale_since[referral.pk] = stale_on
    written = []
    if stale_since:
        # The day they were last told is in the key ("stale:YYYY-MM-DD:user:N").
        last = Notification.objects.filter(kind=Notification.Kind.STALE).order_by("-key").first()
        last_told = datetime.date.fromisoformat(last.key.split(":")[1]) if last else None
        if last_told is None or any(stale_on >= last_told for stale_on in stale_since.values()):
            coordinators = (
                Membership.objects.active()
                .filter(role=Role.NETWORK_COORDINATOR)
                .values_list("user_id", flat=True)
                .distinct()
                .order_by("user_id")
            )
            with transaction.atomic():
                written = write_notifications(
                    kind=Notification.Kind.STALE,
                    source_key=f"stale:{today.isoformat()}",
                    recipients=list(coordinators),
                    count=len(stale_since),
                )
                queue_delivery(user_ids=[row.recipient_id for row in written])
    return {"reminders": len(reminded), "stale": len(stale_since), "coordinators_told": len(written)}


def mark_read(user, *, notification_id: int | None = None) -> int:
    """Mark one (or every) visible notice of this person as read."""
    notices = Notification.objects.visible_to(user).unread()
    if notification_id is not None:
        notices = notices.filter(pk=notification_id)
    return Notification.objects.filter(pk__in=list(notices.values_list("pk", flat=True))).update(
        read_at=timezone.now()
    )
