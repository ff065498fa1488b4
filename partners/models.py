"""Organisations of the network, who works where in which role, coverage of schools, and the
catalogue of offers (the "sociale kaart"), modelled after Open Referral HSDS 3."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.i18n import in_language


class Role(models.TextChoices):
    BRIDGE_FIGURE = "bridge_figure", _("bridge figure")
    PARTNER_WORKER = "partner_worker", _("partner worker")
    SCHOOL_COORDINATOR = "school_coordinator", _("school care coordinator")
    NETWORK_COORDINATOR = "network_coordinator", _("network coordinator")

    @classmethod
    def allowed_for(cls, kind: str) -> list[Role]:
        """The roles a person may hold in an organisation of `kind`: a care coordinator works in a
        school, a bridge figure in a bridge team, the network coordinator at the municipality, and
        everyone in another partner organisation is a partner worker."""
        only = {
            Organisation.Kind.SCHOOL: cls.SCHOOL_COORDINATOR,
            Organisation.Kind.BRIDGE_TEAM: cls.BRIDGE_FIGURE,
            Organisation.Kind.MUNICIPALITY: cls.NETWORK_COORDINATOR,
        }
        return [only.get(kind, cls.PARTNER_WORKER)]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        CLB = "clb", _("pupil guidance centre (CLB)")
        WELFARE = "welfare", _("welfare service")
        LEISURE_LEARNING = "leisure_learning", _("leisure and learning")
        PUBLIC_SOCIAL_SERVICE = "public_social_service", _("public social welfare centre")
        HUIS_VAN_HET_KIND = "huis_van_het_kind", _("family centre (Huis van het Kind)")
        MUNICIPALITY = "municipality", _("municipality")
        BRIDGE_TEAM = "bridge_team", _("bridge team")
        OTHER = "other", _("other")

    class SchoolLevel(models.TextChoices):
        NURSERY = "nursery", _("nursery")
        PRIMARY = "primary", _("primary")
        NURSERY_PRIMARY = "nursery_primary", _("nursery and primary")
        SECONDARY = "secondary", _("secondary")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    school_number = models.CharField(_("official school number"), max_length=20, blank=True)
    school_level = models.CharField(_("school level"), max_length=20, choices=SchoolLevel.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The HSDS id: stable across exports, so a re-import updates this row instead of adding one.
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind"),
            models.CheckConstraint(
                condition=Q(kind="school") | Q(school_number="", school_level=""),
                name="organisation_school_fields_only_for_schools",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(active=True, user__is_active=True, organisation__active=True)

    def of(self, user, role: str | None = None) -> MembershipQuerySet:
        qs = self.active().filter(user=user)
        return qs.filter(role=role) if role else qs


class Membership(models.Model):
    """A user works in an organisation in one role. A person may hold several memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def clean(self) -> None:
        # The same rule as the invitation form, so the admin cannot make a bridge figure of a school.
        if self.organisation_id and self.role and self.role not in Role.allowed_for(self.organisation.kind):
            raise ValidationError({"role": _("This role does not exist in an organisation of this kind.")})


def organisations_of(user, role: str):
    """Subquery of the organisations where `user` holds `role` in an active membership.

    Used inside every visibility query, so scoping costs no extra round trip.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none().values("pk")
    return Membership.objects.of(user, role).values("organisation_id")


class Coverage(models.Model):
    """A bridge figure is the contact point for a school. The whole bridge team serves the school
    (a colleague picks up when the contact point is away)."""

    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coverages",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("school"),
    )
    bridge_figure = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="coverages",
        limit_choices_to={"role": Role.BRIDGE_FIGURE},
        verbose_name=_("bridge figure"),
    )

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage of schools")
        constraints = [
            models.UniqueConstraint(fields=["school", "bridge_figure"], name="coverage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bridge_figure.user} → {self.school}"


def schools_covered_by_team_of(user):
    """Subquery of the schools covered by any bridge figure of the user's bridge teams."""
    return Coverage.objects.filter(
        bridge_figure__active=True,
        bridge_figure__user__is_active=True,
        bridge_figure__organisation_id__in=organisations_of(user, Role.BRIDGE_FIGURE),
    ).values("school_id")


class NeedDomain(models.Model):
    """What a family's question is about. Data with its own labels in nl, fr and en, because a
    network may add domains without a release. Lives here (not in referrals) because offers,
    contact moments and referrals all use it, and dependencies point one way."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=120)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("need domain")
        verbose_name_plural = _("need domains")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "label")


class OfferQuerySet(models.QuerySet):
    @staticmethod
    def _stale_condition(today: datetime.date | None) -> Q:
        limit = (today or timezone.localdate()) - datetime.timedelta(days=365)
        return Q(verified_at__isnull=True) | Q(verified_at__lt=limit)

    def stale(self, today: datetime.date | None = None) -> OfferQuerySet:
        """Offers not verified in the last 12 months (or never)."""
        return self.filter(self._stale_condition(today))

    def with_staleness(self, today: datetime.date | None = None) -> OfferQuerySet:
        """Each offer with `needs_verifying`: the same rule as stale(), for lists that show both."""
        return self.annotate(
            needs_verifying=models.Case(
                models.When(self._stale_condition(today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def maintained_by(self, user) -> OfferQuerySet:
        """The offers a user keeps up to date: those of the organisations where the user is an
        active partner worker. Everyone else (bridge figures, schools, coordinators, administrators
        without such a membership) maintains none; the coordinator oversees the catalogue instead."""
        return self.filter(organisation_id__in=organisations_of(user, Role.PARTNER_WORKER))


class Offer(models.Model):
    """One service in the catalogue. Field names follow HSDS 3 where one exists, so the catalogue
    exports and imports as Open Referral JSON."""

    class Kind(models.TextChoices):
        WELLBEING = "wellbeing", _("wellbeing service")
        HOMEWORK_CLUB = "homework_club", _("homework club")
        SUMMER_SCHOOL = "summer_school", _("summer school")
        LEISURE = "leisure", _("leisure activity")
        MATERIAL_SUPPORT = "material_support", _("material support")
        RIGHTS = "rights", _("rights and allowances")
        PARENTING = "parenting", _("parenting support")
        HEALTH = "health", _("health and therapy")
        LANGUAGE = "language", _("language support")
        OTHER = "other", _("other")

    class Cost(models.TextChoices):
        FREE = "free", _("free")
        CONTRIBUTION = "contribution", _("small contribution")
        SOCIAL_RATE = "social_rate", _("social rate possible")
        PAID = "paid", _("paid")

    class Capacity(models.TextChoices):
        OPEN = "open", _("places available")
        LIMITED = "limited", _("few places")
        WAITING_LIST = "waiting_list", _("waiting list")
        CLOSED = "closed", _("not taking referrals")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offers", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    need_domains = models.ManyToManyField(NeedDomain, related_name="offers", verbose_name=_("need domains"))
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("ISO codes, e.g. nl, fr, ar")
    )
    cost = models.CharField(_("cost"), max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    locations_times = models.TextField(_("where and when"), blank=True)
    how_to_refer = models.TextField(_("how professionals refer"), blank=True)
    how_families_get_in = models.TextField(_("how families get in"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    typical_wait_days = models.PositiveSmallIntegerField(
        _("typical waiting time (days)"), null=True, blank=True
    )
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.OPEN)
    verified_at = models.DateField(_("last verified"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The HSDS id: stable across exports, so a re-import updates this row instead of adding one.
    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    # Detects two people editing the same offer: the edit form carries the value it started from.
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="offer_unique_name_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="offer_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
