"""The in-app notices of one person (DESIGN.md §7), with read and unread."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .delivery import mark_read
from .models import Notification

PAGE_SIZE = 25


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notification.objects.visible_to(request.user).select_related(
        "school_notice__child", "school_notice__school_request", "school_notice__bridge_figure"
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/notice_list.html",
        {"page_obj": page, "unread_count": Notification.objects.visible_to(request.user).unread().count()},
    )


@require_POST
@login_required
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    mark_read(request.user, notification_id=pk)
    return redirect("notice_list")


@require_POST
@login_required
def notice_read_all(request: HttpRequest) -> HttpResponse:
    mark_read(request.user)
    return redirect("notice_list")
