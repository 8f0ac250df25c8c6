"""Counsel's caseload page: every packet and case they are counsel on, searched, filtered and sorted."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from packets.case.caseload import SORTS, caseload_rows
from packets.case.caseload_forms import caseload_filters
from packets.permissions import signed_in_user


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    values, form = caseload_filters(request.GET)
    rows = caseload_rows(
        user=user, query=values["q"], turn=values["turn"], status=values["status"], sort=values["sort"]
    )
    filtered = bool(values["q"] or values["turn"] or values["status"])
    return render(
        request,
        "case/caseload.html",
        {
            "rows": rows,
            "form": form,
            "filtered": filtered,
            "sort_label": SORTS[values["sort"]],
            "today": timezone.localdate(),
        },
    )
