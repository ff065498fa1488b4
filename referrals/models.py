"""Referrals and their events, school requests, and the outbox of minimal school notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Child, Consent, ConsentScope, Family, covering_q
from partners.models import (
    NeedDomain,
    Offer,
    Organisation,
    Role,
    organisations_of,
    schools_covered_by_team_of,
)


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WAITING = "waiting", _("on the waiting list")
    CONTACT_MADE = "contact_made", _("contact made")
    IN_PROGRESS = "in_progress", _("support started")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = frozenset(
    {Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.WAITING, Status.CONTACT_MADE, Status.IN_PROGRESS}
)
FINAL_STATUSES = frozenset({Status.DECLINED, Status.CLOSED, Status.WITHDRAWN})


def refer_consent_exists(at=None) -> Exists:
    """Inside a Referral query: an active `refer` consent of the family for the receiving
    organisation that covers the referral's child (or the family, for a family-wide referral)."""
    return Exists(
        Consent.objects.active(at=at).filter(
            covering_q("child", "child__turns_twelve_on", at=at),
            scope=ConsentScope.REFER,
            family=OuterRef("family"),
            recipient=OuterRef("receiving_organisation"),
        )
    )


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals whose existence and status the user may see.

        bridge figure: every referral of their bridge teams; partner worker: every referral sent
        to their organisation (never drafts), also after consent ended, without content;
        school coordinator, network coordinator, administrator: none (schools read notices only).
        """
        referring = Q(referring_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE))
        receiving = Q(receiving_organisation_id__in=organisations_of(user, Role.PARTNER_WORKER)) & ~Q(
            status=Status.DRAFT
        )
        return self.filter(referring | receiving)

    def content_visible_to(self, user) -> ReferralQuerySet:
        """Referrals whose content (family identity, question, need domains, events) the user may read.

        bridge figure: their teams' referrals while the family file is open and its `register`
        consent covers the referral's child (a young person of 12+ only with their own agreement,
        as for the child's record); partner worker: referrals to their organisation, not drafts,
        while a `refer` consent for that organisation covers it; nobody else.
        """
        register_covers = Exists(
            Consent.objects.active().filter(
                covering_q("child", "child__turns_twelve_on"),
                scope=ConsentScope.REGISTER,
                family=OuterRef("family"),
                recipient=OuterRef("family__holding_team"),
            )
        )
        referring = Q(
            register_covers,
            referring_team_id__in=organisations_of(user, Role.BRIDGE_FIGURE),
            family__in=Family.objects.visible_to(user),
        )
        receiving = (
            Q(receiving_organisation_id__in=organisations_of(user, Role.PARTNER_WORKER))
            & ~Q(status=Status.DRAFT)
            & Q(refer_consent_exists(), family__anonymised_at__isnull=True)
        )
        return self.filter(referring | receiving)

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_answer(self) -> ReferralQuerySet:
        return self.filter(status=Status.SENT)


class Referral(models.Model):
    """A warm referral of a family (or one child) to an organisation, and its whole lifecycle."""

    class Source(models.TextChoices):
        FAMILY = "family", _("the family asked")
        SCHOOL = "school", _("the school asked")
        CLB = "clb", _("the pupil guidance centre asked")
        BRIDGE_FIGURE = "bridge_figure", _("the bridge figure noticed")
        OTHER = "other", _("other")

    class Warmth(models.IntegerChoices):
        INFORMED = 1, _("family informed about the offer")
        DETAILS_PASSED = 2, _("details passed on to a named contact")
        APPOINTMENT = 3, _("appointment made together")
        ACCOMPANIED = 4, _("accompanied to the first meeting")

    class DeclineReason(models.TextChoices):
        OUTSIDE_TARGET = "outside_target", _("outside our target group")
        NO_CAPACITY = "no_capacity", _("no capacity now")
        BETTER_ELSEWHERE = "better_elsewhere", _("another offer fits better")
        ALREADY_SUPPORTED = "already_supported", _("already supported by us or another service")
        INCOMPLETE = "incomplete", _("question not clear enough")
        OTHER = "other", _("other reason")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        PARTLY_RESOLVED = "partly_resolved", _("partly resolved")
        NOT_RESOLVED = "not_resolved", _("not resolved")
        FAMILY_STOPPED = "family_stopped", _("the family stopped")
        REFERRED_ON = "referred_on", _("referred on")
        NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed")
        UNREACHABLE = "unreachable", _("could not reach the family")

    class FollowUp(models.TextChoices):
        YES = "yes", _("yes, this was what they expected")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")
        WRONG_PLACE = "wrong_place", _("not the right place")

    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("family")
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("child"),
    )
    need_domains = models.ManyToManyField(
        NeedDomain, related_name="referrals", verbose_name=_("need domains")
    )
    question = models.TextField(_("the question, in the family's words"))
    referring_team = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referring team"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("bridge figure"),
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("receiving organisation"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("offer"),
    )
    receiving_contact = models.CharField(_("named contact"), max_length=150, blank=True)
    source = models.CharField(_("who asked"), max_length=20, choices=Source.choices, default=Source.FAMILY)
    school_request = models.ForeignKey(
        "SchoolRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("school request answered"),
    )
    warmth = models.PositiveSmallIntegerField(
        _("warmth of the hand-over"), choices=Warmth.choices, default=Warmth.DETAILS_PASSED
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    respond_by = models.DateField(_("answer expected by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    interim_support = models.CharField(_("support in the meantime"), max_length=300, blank=True)
    contact_made_on = models.DateField(_("first contact"), null=True, blank=True)
    started_at = models.DateTimeField(_("support started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("about the decline"), max_length=500, blank=True)
    suggested_offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested instead"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    follow_up_result = models.CharField(
        _("was this what they expected?"), max_length=20, choices=FollowUp.choices, blank=True
    )
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    previous_referral = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="re_referrals",
        verbose_name=_("re-referral of"),
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["receiving_organisation", "status"]),
            models.Index(fields=["referring_team", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(warmth__gte=1, warmth__lte=4), name="referral_warmth_1_to_4"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""), name="referral_closed_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.receiving_organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def days_waiting(self) -> int:
        """Days since sending, for a referral still waiting for its answer."""
        if not self.sent_at:
            return 0
        end = self.answered_at or timezone.now()
        return (timezone.localdate(end) - timezone.localdate(self.sent_at)).days

    # thin delegates to the lifecycle (referrals/lifecycle.py holds the rules)
    def send(self, *, by, expected_version=None):
        from .lifecycle import send_referral

        return send_referral(self, by=by, expected_version=expected_version)


class ReferralEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralEventQuerySet:
        """Events (with their notes): only to those who may read the referral's content. Never to a school."""
        return self.filter(referral__in=Referral.objects.content_visible_to(user))


class ReferralEvent(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("previous status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(
        _("note (for the referring team, never for the school)"), max_length=1000, blank=True
    )

    objects = ReferralEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class SchoolRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> SchoolRequestQuerySet:
        """School requests: the care coordinators of the school that asked; the bridge figures of
        a team that covers that school. Nobody else."""
        return self.filter(
            Q(school_id__in=organisations_of(user, Role.SCHOOL_COORDINATOR))
            | Q(school_id__in=schools_covered_by_team_of(user))
        )


class SchoolRequest(models.Model):
    """A care coordinator asks the bridge team to contact a family about a pupil."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PICKED_UP = "picked_up", _("picked up")
        HANDLED = "handled", _("handled")

    class ParentsKnow(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        NOT_SURE = "not_sure", _("not sure")

    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="school_requests",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="school_requests",
        verbose_name=_("asked by"),
    )
    pupil_first_name = models.CharField(_("pupil's first name"), max_length=100)
    pupil_last_name = models.CharField(_("pupil's last name"), max_length=100)
    grade = models.CharField(_("grade"), max_length=40)
    reason = models.CharField(
        _("short reason"),
        max_length=400,
        help_text=_("Write only what the bridge figure needs to make contact."),
    )
    parents_know = models.CharField(_("do the parents know?"), max_length=10, choices=ParentsKnow.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    picked_up_at = models.DateTimeField(_("picked up"), null=True, blank=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("picked up by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    family = models.ForeignKey(
        Family,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_requests",
        verbose_name=_("family"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_requests",
        verbose_name=_("pupil"),
    )

    objects = SchoolRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("school request")
        verbose_name_plural = _("school requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pupil_first_name} {self.pupil_last_name} ({self.school})"


class NoticeEvent(models.TextChoices):
    """The only things a school can ever learn about a referral (DESIGN.md §7)."""

    PICKED_UP = "picked_up", _("The question has been picked up.")
    WAITING = "waiting", _("There is a waiting time; support has not started yet.")
    STARTED = "started", _("Support has started.")
    ENDED = "ended", _("The support has ended.")
    NO_PERMISSION = "no_permission", _("No updates can be shared: no permission from the family.")


class SchoolNoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> SchoolNoticeQuerySet:
        """Notices: the care coordinators of the notice's school, and only while an
        `inform_school` consent for that school covers the pupil (read at this moment) and the
        family is not anonymised; a `no_permission` notice needs no consent, it says there is
        none. Nobody else."""
        informed = Exists(
            Consent.objects.active().filter(
                covering_q("child", "child__turns_twelve_on"),
                scope=ConsentScope.INFORM_SCHOOL,
                family=OuterRef("child__family"),
                recipient=OuterRef("school"),
            )
        )
        return self.filter(school_id__in=organisations_of(user, Role.SCHOOL_COORDINATOR)).filter(
            Q(event=NoticeEvent.NO_PERMISSION)
            | Q(informed, child__isnull=False, child__family__anonymised_at__isnull=True)
        )


class SchoolNotice(models.Model):
    """The outbox of minimal feedback to schools. Written in the transaction of the change it
    reports; delivered later. `key` is unique per (source, event), so nothing is sent twice.
    Holds no organisation, offer, need, reason, outcome or note: there is no field for them."""

    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notices", verbose_name=_("school")
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="school_notices",
        verbose_name=_("pupil"),
    )
    school_request = models.ForeignKey(
        SchoolRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("request"),
    )
    event = models.CharField(_("event"), max_length=20, choices=NoticeEvent.choices)
    bridge_figure = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("bridge figure to call"),
    )
    key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deliver_after = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects = SchoolNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("school notice")
        verbose_name_plural = _("school notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "deliver_after"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.event}"

    @property
    def pupil_name(self) -> str:
        if self.child_id:
            return f"{self.child.first_name} {self.child.last_name}".strip()
        if self.school_request_id:
            return f"{self.school_request.pupil_first_name} {self.school_request.pupil_last_name}"
        return ""


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """A person's own in-app notices, and only while their source is still theirs to see:
        a school update only while `SchoolNotice.objects.visible_to(user)` shows it (consent read
        now); a referral notice only while `Referral.objects.visible_to(user)` shows the referral.
        Nobody sees anyone else's notices."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user).filter(
            Q(school_notice__isnull=True) | Q(school_notice__in=SchoolNotice.objects.visible_to(user)),
            Q(referral__isnull=True) | Q(referral__in=Referral.objects.visible_to(user)),
        )

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app notice for one person, written by delivery (referrals/delivery.py). Holds no
    words about a family: what it says follows from its kind, and its link goes through the gate.
    `key` is unique per (source, event, recipient), so delivering twice writes nothing new."""

    class Kind(models.TextChoices):
        SCHOOL_UPDATE = "school_update", _("update for your school")
        NEW_REFERRAL = "new_referral", _("new referral")
        ACCEPTED = "accepted", _("referral accepted")
        DECLINED = "declined", _("referral declined")
        REMINDER = "reminder", _("referral waiting for an answer")
        STALE = "stale", _("stale referrals")
        NEW_SCHOOL_REQUEST = "school_request", _("new school request")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    school_notice = models.ForeignKey(
        SchoolNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    count = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    key = models.CharField(max_length=160, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when an e-mail nudge counted it (or passed it over because it was no longer visible).
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"
