"""Starting a re-parole request from an approved case: the choice of exhibits and reports, then the new packet."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from packets.case.access import case_packet_for_user
from packets.case.deadlines import reparole_file_by
from packets.case.reparole import (
    ReparoleAlreadyStarted,
    ReparoleRefused,
    approved_decision,
    reparole_start,
    report_renders,
)
from packets.case.reparole_forms import ReparoleForm
from packets.content.facts import filing_facts
from packets.evidence.uploads import UploadRejected
from packets.models import Exhibit
from packets.permissions import Action, signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def case_reparole(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.REQUEST_REPAROLE)
    decision = approved_decision(packet)
    if decision is None:  # only an approved case has a parole period to extend
        raise Http404
    exhibits = list(Exhibit.objects.filter(packet=packet))
    renders = report_renders(packet)
    reparole_requests = list(packet.reparole_requests.filter(memberships__user=signed_in_user(request)))
    initial = {
        "name": _("%(name)s — re-parole") % {"name": packet.name},
        "exhibits": [str(exhibit.pk) for exhibit in exhibits],
        "reports": [str(item.pk) for item in renders],
        "revision": packet.revision,
        "requests_seen": len(reparole_requests),
    }
    form = ReparoleForm(request.POST or None, initial=initial, exhibits=exhibits, renders=renders)
    if request.method == "POST" and form.is_valid():
        try:
            new = reparole_start(
                packet=packet,
                by=signed_in_user(request),
                choice=form.choice(),
                revision=form.cleaned_data["revision"],
                requests_seen=form.cleaned_data["requests_seen"],
            )
        except ReparoleAlreadyStarted as started:
            messages.info(
                request, _("This re-parole request was already started (the form was sent twice): here it is.")
            )
            return redirect("packet_detail", packet_id=started.packet.pk)
        except (ReparoleRefused, UploadRejected) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The re-parole request is started. Bring its answers up to date, then send it for review."),
            )
            return redirect("packet_detail", packet_id=new.pk)
    context = {
        "packet": packet,
        "decision": decision,
        "form": form,
        "file_by": reparole_file_by(decision.parole_to) if decision.parole_to else None,
        "fact": filing_facts().get("reparole"),
        "reparole_requests": reparole_requests,
    }
    return render(request, "case/reparole.html", context, status=400 if form.errors else 200)
