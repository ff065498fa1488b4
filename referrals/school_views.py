"""The school care coordinator's pages (DESIGN.md §5, §7): ask the bridge figure, see the school's
own requests, and per pupil only the minimal notices. Everything starts from
`SchoolRequest.objects.visible_to` and `SchoolNotice.objects.visible_to` (which reads the
`inform_school` consent at this moment); nothing here touches a referral or a family file."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partners.models import Organisation, Role, organisations_of
from village.forms import add_action_errors

from .models import SchoolNotice, SchoolRequest
from .requests import create_school_request
from .school_forms import SchoolRequestForm


def _own_schools(user) -> list[Organisation]:
    """The schools where the user is a care coordinator now; none: this page is not theirs (404)."""
    schools = list(
        Organisation.objects.filter(pk__in=organisations_of(user, Role.SCHOOL_COORDINATOR)).order_by(
            "name", "pk"
        )
    )
    if not schools:
        raise Http404
    return schools


def own_school_requests(user):
    """The requests the user's own schools made (a bridge figure who also coordinates a school
    sees only that school's here; covered schools are on the bridge side)."""
    return SchoolRequest.objects.visible_to(user).filter(
        school_id__in=organisations_of(user, Role.SCHOOL_COORDINATOR)
    )


@login_required
def school_request_create(request: HttpRequest) -> HttpResponse:
    schools = _own_schools(request.user)
    form = SchoolRequestForm(
        request.POST or None,
        schools=Organisation.objects.filter(pk__in=[school.pk for school in schools]).order_by("name", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_school_request(
                school=form.chosen_school(),
                by=request.user,
                pupil_first_name=data["pupil_first_name"],
                pupil_last_name=data["pupil_last_name"],
                grade=data["grade"],
                reason=data["reason"],
                parents_know=data["parents_know"],
            )
        except PermissionError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your question was sent to the bridge figure."))
            return redirect("school_request_mine")
    return render(request, "referrals/school/request_form.html", {"form": form})


@login_required
def school_request_mine(request: HttpRequest) -> HttpResponse:
    schools = _own_schools(request.user)
    requests_ = own_school_requests(request.user).select_related("school", "picked_up_by")
    return render(
        request,
        "referrals/school/request_list.html",
        {"school_requests": requests_, "several_schools": len(schools) > 1},
    )


@dataclass
class Pupil:
    """One pupil on the pupils page: a name the school knows, the minimal notices in time order,
    the bridge figure to call, and the school's own request about them (if any)."""

    name: str
    school: Organisation
    notices: list = field(default_factory=list)
    school_request: SchoolRequest | None = None

    @property
    def bridge_figure(self):
        for notice in reversed(self.notices):
            if notice.bridge_figure is not None:
                return notice.bridge_figure
        return self.school_request.picked_up_by if self.school_request else None


def pupils_of(user) -> list[Pupil]:
    """Per pupil: the delivered notices the user may read now, and the school's requests. A notice
    about a request (`no_permission`) and a request linked to a pupil join that pupil."""
    notices = (
        SchoolNotice.objects.visible_to(user)
        .filter(sent_at__isnull=False, dropped_at__isnull=True)
        .select_related("child", "school_request", "bridge_figure", "school")
        .order_by("created_at", "pk")
    )
    requests_ = (
        own_school_requests(user).select_related("school", "picked_up_by").order_by("created_at", "pk")
    )
    pupils: dict[tuple, Pupil] = {}

    def key_of(child_id, request_id) -> tuple:
        return ("child", child_id) if child_id else ("request", request_id)

    for school_request in requests_:
        key = key_of(school_request.child_id, school_request.pk)
        pupil = pupils.setdefault(
            key,
            Pupil(
                name=f"{school_request.pupil_first_name} {school_request.pupil_last_name}",
                school=school_request.school,
            ),
        )
        pupil.school_request = school_request  # the latest request about this pupil
    for notice in notices:
        request_ = notice.school_request
        key = key_of(notice.child_id or (request_.child_id if request_ else None), notice.school_request_id)
        pupil = pupils.setdefault(key, Pupil(name=notice.pupil_name, school=notice.school))
        pupil.notices.append(notice)
    return sorted(pupils.values(), key=lambda pupil: (pupil.name.casefold(), pupil.school.name))


@login_required
def school_pupils(request: HttpRequest) -> HttpResponse:
    schools = _own_schools(request.user)
    return render(
        request,
        "referrals/school/pupils.html",
        {"pupils": pupils_of(request.user), "several_schools": len(schools) > 1},
    )
