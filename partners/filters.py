"""The network coordinator's catalogue filter."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import NeedDomain, Offer, Organisation


class CatalogueFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(offers__active=True).distinct(),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Offer.Kind.choices)
    domain = django_filters.ModelChoiceFilter(
        label=_("Need domain"), field_name="need_domains", queryset=NeedDomain.objects.all(), distinct=True
    )
    stale = django_filters.ChoiceFilter(
        label=_("Not verified in the last 12 months"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="by_staleness",
    )

    class Meta:
        model = Offer
        fields = ["organisation", "kind", "domain", "stale"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["domain"].field.label_from_instance = lambda domain: domain.label

    def by_staleness(self, queryset, name, value):
        stale = queryset.stale()
        return stale if value == "yes" else queryset.exclude(pk__in=stale.values("pk"))
