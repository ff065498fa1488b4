"""The caseload list: filters over the families the bridge figure may open (and nothing more)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation

from .models import Family, Guardian


class FamilyFilter(django_filters.FilterSet):
    """Always applied to `Family.objects.visible_to(user)`; the search reads only guardians the
    user may see."""

    q = django_filters.CharFilter(label=_("Search (name or reference)"), method="search")
    school = django_filters.ModelChoiceFilter(
        label=_("School"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, active=True),
        field_name="children__school",
        distinct=True,
    )
    interpreter_needed = django_filters.BooleanFilter(label=_("Interpreter needed"))
    preferred_channel = django_filters.ChoiceFilter(
        label=_("Preferred channel"), choices=Family.Channel.choices
    )

    class Meta:
        model = Family
        fields = ["q", "school", "interpreter_needed", "preferred_channel"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        guardians = Guardian.objects.visible_to(self.user).filter(
            Q(last_name__icontains=value) | Q(first_name__icontains=value)
        )
        return queryset.filter(Q(reference__icontains=value) | Q(pk__in=guardians.values("family_id")))
