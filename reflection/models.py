"""The network looking at itself (DESIGN.md §9): self-assessment frameworks that are data, rounds in
which members place the network on a formative scale, action points, and structural signals.

Nothing here holds family data. Rounds, answers, action points and signals are for members of the
network (anyone with an active membership); the administrator without a membership sees none of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Membership, Organisation, Role
from village.i18n import in_language


def is_network_member(user) -> bool:
    """Anyone with an active membership in any organisation of the network."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.of(user).exists()


def is_network_coordinator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.of(user, Role.NETWORK_COORDINATOR).exists()


class Framework(models.Model):
    """A self-assessment framework: the VRAC analysis framework, the Wraparound principles, ... A
    coordinator may add the network's own (in the admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.TextField(_("source and attribution"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "name")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class Item(models.Model):
    """One building block, principle or question of a framework: what participants place on the scale."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=40)
    group_nl = models.CharField(_("group (Dutch)"), max_length=200, blank=True)
    group_fr = models.CharField(_("group (French)"), max_length=200, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=200, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_nl = models.TextField(_("definition (Dutch)"))
    definition_fr = models.TextField(_("definition (French)"))
    definition_en = models.TextField(_("definition (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_unique_code_per_framework"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "name")

    @property
    def group(self) -> str:
        return in_language(self, "group")

    @property
    def definition(self) -> str:
        return in_language(self, "definition")


class Prompt(models.Model):
    """A question that helps participants place the network on an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="prompts", verbose_name=_("item"))
    text_nl = models.TextField(_("text (Dutch)"))
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Level(models.TextChoices):
    """The formative scale. The sources give no score: integration is a horizon, not a grade."""

    NOT_YET = "not_yet", _("not yet")
    FIRST_STEPS = "first_steps", _("first steps")
    GROWING = "growing", _("growing")
    EMBEDDED = "embedded", _("embedded")
    DONT_KNOW = "dont_know", _("don't know")


# Position on the scale, for spread and change; "don't know" has none.
LEVEL_RANK = {Level.NOT_YET: 0, Level.FIRST_STEPS: 1, Level.GROWING: 2, Level.EMBEDDED: 3}
SCALE = [Level.NOT_YET, Level.FIRST_STEPS, Level.GROWING, Level.EMBEDDED]


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Every round, for members of the network (any active membership); nothing for anyone else,
        the administrator without a membership included."""
        if not is_network_member(user):
            return self.none()
        return self.all()

    def closed(self) -> RoundQuerySet:
        return self.filter(closed_at__isnull=False)


class Round(models.Model):
    """A dated self-assessment of the network on one framework."""

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("framework")
    )
    title = models.CharField(_("title"), max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    participants = models.ManyToManyField(
        Membership, related_name="reflection_rounds", blank=True, verbose_name=_("participants")
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def previous(self) -> Round | None:
        """The last closed round on the same framework before this one."""
        return (
            Round.objects.closed()
            .filter(framework_id=self.framework_id, opened_at__lt=self.opened_at)
            .exclude(pk=self.pk)
            .order_by("-opened_at", "-pk")
            .first()
        )

    def participation_of(self, user) -> Membership | None:
        """The user's invitation (an active membership) to this round, if any."""
        return self.participants.active().filter(user=user).select_related("organisation").first()


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResponseQuerySet:
        """A participant sees their own answers; everybody in the network sees the answers of closed
        rounds (attributed to organisation kinds on the page, never to persons). Nobody sees another
        person's answer while the round is open, the coordinator included."""
        if not is_network_member(user):
            return self.none()
        return self.filter(Q(participant__user=user) | Q(round__closed_at__isnull=False))


class Response(models.Model):
    """One participant's place for the network on one item, with evidence and a next step."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses", verbose_name=_("item"))
    participant = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="reflection_responses",
        verbose_name=_("participant"),
    )
    level = models.CharField(_("where are we?"), max_length=20, choices=Level.choices)
    evidence = models.TextField(_("what shows it"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "item", "participant"], name="response_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.get_level_display()}"


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members of the network see all of it; nobody else sees any."""
        if not is_network_member(user):
            return self.none()
        return self.all()


class ActionPoint(models.Model):
    """What the network agreed to do after a round, owned by an organisation, followed up next round."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="action_points", verbose_name=_("round")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item")
    )
    description = models.TextField(_("what we will do"))
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner organisation")
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Signal(models.Model):
    """A structural barrier the network runs into. Never about a family: what, where, which kind of
    barrier, who takes it up and how far it got."""

    class BarrierType(models.TextChoices):
        WITHIN_ORGANISATION = "within_organisation", _("within an organisation")
        LEGAL = "legal", _("legal or regulatory")
        WITHIN_SECTOR = "within_sector", _("between organisations of one sector")
        BETWEEN_SECTORS = "between_sectors", _("between sectors")

    class Status(models.TextChoices):
        NEW = "new", _("waiting for someone to take it up")
        TAKEN_UP = "taken_up", _("taken up")
        RESOLVED = "resolved", _("resolved")
        NOT_RESOLVABLE = "not_resolvable", _("cannot be solved locally")

    what = models.TextField(_("what is the barrier?"))
    where = models.CharField(_("where does it happen?"), max_length=200)
    barrier_type = models.CharField(_("kind of barrier"), max_length=30, choices=BarrierType.choices)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged"), default=timezone.now)
    taken_up_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken up by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    follow_up = models.TextField(_("follow-up"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("structural signal")
        verbose_name_plural = _("structural signals")
        ordering = ["-logged_at", "-pk"]

    def __str__(self) -> str:
        return self.what[:60]


class ReportExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportExportQuerySet:
        """A network coordinator sees the exports they asked for themselves; nobody else sees any
        (another coordinator's export is theirs to share, and stops being visible to its requester
        once they are no longer a coordinator)."""
        if not is_network_coordinator(user):
            return self.none()
        return self.filter(requested_by=user)


class ReportExport(models.Model):
    """A network report (DESIGN.md §8) made in the background as a PDF or a zip of CSV files: asked
    for on the report page, built by a Celery task that records its progress, downloaded when done.
    Only the last few per person are kept (`KEEP_PER_USER`)."""

    KEEP_PER_USER = 5

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        CSV_ZIP = "csv_zip", _("CSV tables (zip)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    content = models.BinaryField(_("file"), blank=True, default=b"", editable=False)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.start} – {self.end}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.format == self.Format.PDF else "application/zip"
