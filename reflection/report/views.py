"""The network report's pages (DESIGN.md §8): for the network coordinator only; for everybody else
each of them answers 404, as if it did not exist. An export is seen only by whoever asked for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ..models import ReportExport, is_network_coordinator
from . import exports
from .forms import ReportExportForm, ReportPeriodForm
from .indicators import build_report, default_period
from .render import render_html


def _coordinator_or_404(user) -> None:
    if not is_network_coordinator(user):
        raise Http404


def _period_form(request: HttpRequest) -> ReportPeriodForm:
    """Bound to what the query gives, the rest filled with the defaults (the current school year,
    the person's language), so the page always shows a report."""
    start, end = default_period(timezone.localdate())
    data = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "language": getattr(request.user, "language", "") or "nl",
    }
    data.update({name: request.GET[name] for name in data if name in request.GET})
    return ReportPeriodForm(data)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _coordinator_or_404(request.user)
    form = _period_form(request)
    context: dict = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        built = build_report(start=data["start"], end=data["end"], language=data["language"])
        # render_html escapes every text of the report itself (templates with autoescape).
        context["report"] = built
        context["report_body"] = mark_safe(render_html(built))
        context["export_query"] = {
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "language": data["language"],
        }
    context["recent_exports"] = ReportExport.objects.visible_to(request.user).defer("content")[
        : ReportExport.KEEP_PER_USER
    ]
    return render(request, "reflection/report/page.html", context)


@require_POST
@login_required
def export_create(request: HttpRequest) -> HttpResponse:
    _coordinator_or_404(request.user)
    form = ReportExportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reflection:report")
    export = exports.request_export(by=request.user, **form.cleaned_data)
    return redirect("reflection:report_export", pk=export.pk)


def _export_or_404(request: HttpRequest, pk: int) -> ReportExport:
    return get_object_or_404(ReportExport.objects.visible_to(request.user).defer("content"), pk=pk)


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export_or_404(request, pk)
    return render(request, "reflection/report/export_detail.html", {"export": export})


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the export page that htmx polls every 2 seconds until the file is ready."""
    export = _export_or_404(request, pk)
    return render(request, "reflection/report/_export_status.html", {"export": export})


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(
        ReportExport.objects.visible_to(request.user).filter(status=ReportExport.Status.DONE), pk=pk
    )
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
