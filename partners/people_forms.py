"""Forms of the people pages: inviting someone, and finding people in the list."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("First name and surname. Not needed when the person already has an account."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(active=True).order_by("name")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "---------"), *Role.choices],
        help_text=_(
            "A school has care coordinators, a bridge team bridge figures, the municipality the network "
            "coordinator; everyone in another partner organisation is a partner worker."
        ),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The invitation e-mail and Village itself are in this language."),
    )

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        if organisation is not None:
            # Coming from an organisation on the people page: only its roles make sense.
            self.fields["organisation"].initial = organisation.pk
            allowed = Role.allowed_for(organisation.kind)
            self.fields["role"].choices = [(role.value, role.label) for role in allowed]
            self.fields["role"].initial = allowed[0].value

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role and role not in Role.allowed_for(organisation.kind):
            allowed = ", ".join(str(choice.label) for choice in Role.allowed_for(organisation.kind))
            self.add_error(
                "role",
                _("%(role)s is not a role in %(organisation)s. Choose: %(allowed)s.")
                % {"role": Role(role).label, "organisation": organisation.name, "allowed": allowed},
            )
        return cleaned


class PeopleFilterForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label=_("All organisations"),
    )
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
