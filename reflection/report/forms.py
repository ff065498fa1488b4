from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import ReportExport

# Longer periods mean little for a network that changes every school year, and cost a lot to build.
MAX_YEARS = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To (included)"), widget=DateInput)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end of the period cannot be before its start."))
            elif end - start > datetime.timedelta(days=366 * MAX_YEARS):
                self.add_error(
                    "end", _("The period can be at most %(years)s years long.") % {"years": MAX_YEARS}
                )
        return data


class ReportExportForm(ReportPeriodForm):
    format = forms.ChoiceField(label=_("Format"), choices=ReportExport.Format.choices)
