"""Reflection pages. Every page starts from `visible_to(user)`: outside the network's memberships,
everything here answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions
from .forms import (
    ActionFollowUpForm,
    ActionPointForm,
    AnswerForm,
    AssignSignalForm,
    InviteForm,
    OpenRoundForm,
    SignalFollowUpForm,
    SignalForm,
)
from .models import (
    ActionPoint,
    Framework,
    Item,
    Response,
    Round,
    Signal,
    is_network_coordinator,
    is_network_member,
)
from .spread import agenda, spreads


def _member_or_404(user) -> None:
    if not is_network_member(user):
        raise Http404


def _coordinator_or_403(user) -> None:
    if not is_network_coordinator(user):
        raise PermissionDenied


def _show_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    rounds = Round.objects.visible_to(request.user).select_related("framework")
    return render(
        request,
        "reflection/index.html",
        {
            "frameworks": Framework.objects.all(),
            "open_rounds": [r for r in rounds if r.is_open],
            "closed_rounds": [r for r in rounds if not r.is_open],
            "invited_round_ids": set(
                rounds.filter(participants__user=request.user, participants__active=True).values_list(
                    "pk", flat=True
                )
            ),
            "is_coordinator": is_network_coordinator(request.user),
            "waiting_signals": Signal.objects.visible_to(request.user)
            .filter(status=Signal.Status.NEW)
            .count(),
        },
    )


@login_required
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    _member_or_404(request.user)
    framework = get_object_or_404(Framework, code=code)
    items = Item.objects.filter(framework=framework).prefetch_related("prompts")
    return render(request, "reflection/framework_detail.html", {"framework": framework, "items": items})


@login_required
def round_open(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    _coordinator_or_403(request.user)
    form = OpenRoundForm(request.POST or None, initial={"framework": request.GET.get("framework")})
    if request.method == "POST" and form.is_valid():
        round_ = actions.open_round(
            framework=form.cleaned_data["framework"],
            title=form.cleaned_data["title"],
            participants=form.cleaned_data["participants"],
            by=request.user,
        )
        messages.success(request, _("The round is open."))
        return redirect("reflection:round_detail", pk=round_.pk)
    return render(request, "reflection/round_open.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = get_object_or_404(Round.objects.visible_to(user).select_related("framework"), pk=pk)
    is_coordinator = is_network_coordinator(user)
    participation = round_.participation_of(user)
    context = {
        "round": round_,
        "framework": round_.framework,
        "is_coordinator": is_coordinator,
        "participation": participation,
        "participant_count": round_.participants.active().count(),
        "answered_count": round_.responses.values("participant").distinct().count(),
        "previous": round_.previous(),
        "action_points": ActionPoint.objects.visible_to(user)
        .filter(round=round_)
        .select_related("owner", "item"),
    }
    if context["previous"] is not None:
        context["previous_action_points"] = (
            ActionPoint.objects.visible_to(user)
            .filter(round=context["previous"])
            .select_related("owner", "item")
        )
    if round_.is_open:
        context["my_answers"] = (
            Response.objects.visible_to(user)
            .filter(round=round_, participant__user=user)
            .select_related("item")
            .order_by("item__order")
        )
    else:
        item_spreads = spreads(round_, Response.objects.visible_to(user))
        context["spreads"] = item_spreads
        context["agenda"] = agenda(item_spreads)
    if is_coordinator:
        context["action_form"] = ActionPointForm(round_=round_)
        if round_.is_open:
            context["invite_form"] = InviteForm(round_=round_)
    return render(request, "reflection/round_detail.html", context)


@login_required
def round_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = get_object_or_404(Round.objects.visible_to(user).select_related("framework"), pk=pk)
    if round_.participation_of(user) is None:
        raise Http404
    if not round_.is_open:
        messages.info(request, _("This round is closed; answers can no longer change."))
        return redirect("reflection:round_detail", pk=round_.pk)
    items = Item.objects.filter(framework_id=round_.framework_id).prefetch_related("prompts")
    mine = {
        r.item_id: r for r in Response.objects.visible_to(user).filter(round=round_, participant__user=user)
    }
    form = AnswerForm(request.POST or None, items=items, answers=mine)
    if request.method == "POST" and form.is_valid():
        try:
            stored = actions.save_answers(round_=round_, by=user, answers=form.answers())
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Your answers are saved (%(count)s items).") % {"count": stored})
            return redirect("reflection:round_detail", pk=round_.pk)
    return render(request, "reflection/round_answer.html", {"round": round_, "form": form})


@login_required
def round_invite(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.visible_to(request.user), pk=pk)
    _coordinator_or_403(request.user)
    form = InviteForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invite(round_=round_, participants=form.cleaned_data["participants"], by=request.user)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The invitations are added."))
            return redirect("reflection:round_detail", pk=round_.pk)
    return render(request, "reflection/round_invite.html", {"round": round_, "form": form})


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.visible_to(request.user), pk=pk)
    _coordinator_or_403(request.user)
    try:
        actions.close_round(round_=round_, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed. Everybody can now see the spread of answers."))
    return redirect("reflection:round_detail", pk=round_.pk)


@login_required
def action_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.visible_to(request.user), pk=pk)
    _coordinator_or_403(request.user)
    form = ActionPointForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_action_point(round_=round_, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The action point is added."))
            return redirect("reflection:round_detail", pk=round_.pk)
    return render(request, "reflection/action_point_form.html", {"round": round_, "form": form})


@login_required
def action_point_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    action_point = get_object_or_404(
        ActionPoint.objects.visible_to(request.user).select_related("round"), pk=pk
    )
    _coordinator_or_403(request.user)
    form = ActionFollowUpForm(request.POST or None, instance=action_point)
    if request.method == "POST" and form.is_valid():
        actions.follow_up_action_point(
            action_point=action_point,
            status=form.cleaned_data["status"],
            follow_up=form.cleaned_data["follow_up"],
            by=request.user,
        )
        messages.success(request, _("The follow-up is saved."))
        return redirect("reflection:round_detail", pk=action_point.round_id)
    return render(
        request, "reflection/action_point_follow_up.html", {"action_point": action_point, "form": form}
    )


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    _member_or_404(request.user)
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signal = actions.log_signal(by=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you: the signal is logged."))
        return redirect("reflection:signal_detail", pk=signal.pk)
    signals = Signal.objects.visible_to(request.user).select_related("taken_up_by")
    return render(request, "reflection/signal_list.html", {"form": form, "signals": signals})


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = get_object_or_404(Signal.objects.visible_to(user).select_related("taken_up_by"), pk=pk)
    is_coordinator = is_network_coordinator(user)
    assign_form = follow_up_form = None
    if is_coordinator:
        assign_form = AssignSignalForm(initial={"organisation": signal.taken_up_by_id})
        follow_up_form = SignalFollowUpForm(instance=signal)
    if request.method == "POST":
        _coordinator_or_403(user)
        try:
            if "organisation" in request.POST:
                assign_form = AssignSignalForm(request.POST)
                if assign_form.is_valid():
                    actions.assign_signal(
                        signal=signal, organisation=assign_form.cleaned_data["organisation"], by=user
                    )
                    messages.success(request, _("The signal has an owner."))
                    return redirect("reflection:signal_detail", pk=signal.pk)
            else:
                follow_up_form = SignalFollowUpForm(request.POST, instance=Signal.objects.get(pk=signal.pk))
                if follow_up_form.is_valid():
                    actions.follow_up_signal(
                        signal=signal,
                        status=follow_up_form.cleaned_data["status"],
                        follow_up=follow_up_form.cleaned_data["follow_up"],
                        by=user,
                    )
                    messages.success(request, _("The follow-up is saved."))
                    return redirect("reflection:signal_detail", pk=signal.pk)
        except ValidationError as error:
            _show_errors(follow_up_form, error)
    return render(
        request,
        "reflection/signal_detail.html",
        {
            "signal": signal,
            "is_coordinator": is_coordinator,
            "assign_form": assign_form,
            "follow_up_form": follow_up_form,
        },
    )
