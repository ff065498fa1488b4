from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Membership, Organisation

from .models import ActionPoint, Framework, Item, Level, Signal


class MembershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name() or obj.user.email} · {obj.organisation.name}"


def _invitable():
    return (
        Membership.objects.active()
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name", "user__email")
    )


class OpenRoundForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.all())
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: spring 2027, network meeting")
    )
    participants = MembershipChoiceField(
        label=_("Invite"), queryset=_invitable(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _invitable()


class InviteForm(forms.Form):
    participants = MembershipChoiceField(
        label=_("Invite"), queryset=Membership.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _invitable().exclude(pk__in=round_.participants.all())


class AnswerForm(forms.Form):
    """One fieldset per item: a place on the scale, what shows it, and a next step."""

    def __init__(self, *args, items, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            answer = answers.get(item.pk)
            self.fields[f"level_{item.pk}"] = forms.ChoiceField(
                label=_("Where is the network?"),
                choices=Level.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.level if answer else None,
            )
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("What shows it?"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=answer.evidence if answer else "",
            )
            self.fields[f"next_step_{item.pk}"] = forms.CharField(
                label=_("A next step"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=answer.next_step if answer else "",
            )

    def per_item(self):
        for item in self.items:
            yield (
                item,
                self[f"level_{item.pk}"],
                self[f"evidence_{item.pk}"],
                self[f"next_step_{item.pk}"],
            )

    def answers(self) -> dict[int, dict]:
        return {
            item.pk: {
                "level": self.cleaned_data[f"level_{item.pk}"],
                "evidence": self.cleaned_data[f"evidence_{item.pk}"],
                "next_step": self.cleaned_data[f"next_step_{item.pk}"],
            }
            for item in self.items
        }


class ActionPointForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["item", "description", "owner", "due_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(framework_id=round_.framework_id)
        self.fields["owner"].queryset = Organisation.objects.filter(active=True)


class ActionFollowUpForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}


class SignalForm(forms.ModelForm):
    class Meta:
        model = Signal
        fields = ["what", "where", "barrier_type"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 3}),
            "barrier_type": forms.RadioSelect,
        }
        help_texts = {
            "what": _(
                "Describe the barrier, not the family: never a name, a pupil or anything that points to "
                "a family or child."
            ),
            "where": _("An organisation, a sector, a procedure or a place."),
        }


class AssignSignalForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Who takes it up?"), queryset=Organisation.objects.filter(active=True)
    )


class SignalFollowUpForm(forms.ModelForm):
    class Meta:
        model = Signal
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}
