"""Amendments: recording one (from the case page or from a change in the case log), its page (what changed since
filing, the letter, the new exhibits, the PDF, sending it) and the steps that change it. Each POST answers with the
page again (400, nothing lost) or redirects back to it."""

from functools import partial
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from packets.case.access import case_packet_for_user
from packets.case.amendment_diffs import changes_since_filing, diff_from_json, filed_content
from packets.case.amendment_forms import AmendmentExhibitForm, AmendmentForm, AmendmentLetterForm, AmendmentSentForm
from packets.case.amendments import (
    AmendmentRefused,
    amendment_create,
    amendment_exhibit_add,
    amendment_exhibit_remove,
    amendment_letter_stamp,
    amendment_mark_sent,
    amendment_new_exhibits,
    amendment_update,
)
from packets.case.views_new_exhibits import new_exhibit_post
from packets.models import Amendment, CaseDocument, CaseLogEntry, CaseLogKind, Filing, Packet
from packets.permissions import Action, signed_in_user


def _filing(packet: Packet) -> Filing:
    return Filing.objects.select_related("filed_version").get(packet_id=packet.pk)


def _log_entry(packet: Packet, value: Any) -> CaseLogEntry | None:
    """The log entry an amendment is recorded from (none asked: None; not one of this case's: 404)."""
    if not value:
        return None
    try:
        entry_id = UUID(str(value))
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(CaseLogEntry.objects.exclude(kind=CaseLogKind.EVENT), pk=entry_id, packet=packet)


@login_required
@require_http_methods(["GET", "POST"])
def case_amendment_new(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Record an amendment; ``?from_log=<entry id>`` starts from a change logged in the case log."""
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    data = request.POST if request.method == "POST" else request.GET
    entry = _log_entry(packet, data.get("from_log"))
    if entry is not None and entry.amendment_id is not None:
        messages.info(request, _("That log entry was already recorded as this amendment."))
        return redirect("case_amendment", packet_id=packet.pk, amendment_id=entry.amendment_id)
    initial = {"summary": entry.summary.strip().splitlines()[0][:300], "from_log": entry.pk} if entry else {}
    form = AmendmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amendment_create(
                packet=packet, by=signed_in_user(request), summary=form.cleaned_data["summary"], from_log=entry
            )
        except AmendmentRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The amendment is recorded, and its letter drafted. Add the documents it needs.")
            )
            return redirect("case_amendment", packet_id=packet.pk, amendment_id=amendment.pk)
    filing = _filing(packet)
    changes = changes_since_filing(packet, filing)
    return render(
        request,
        "case/amendment_new.html",
        {
            "packet": packet,
            "form": form,
            "entry": entry,
            "pinned": changes is not None,
            "diff": diff_from_json(changes or []),
        },
        status=400 if form.errors else 200,
    )


def _amendment(request: HttpRequest, packet_id: UUID, amendment_id: UUID, action: Action) -> tuple[Packet, Amendment]:
    packet = case_packet_for_user(request.user, packet_id, action)
    return packet, get_object_or_404(Amendment, pk=amendment_id, packet=packet)


def _page(request: HttpRequest, packet: Packet, amendment: Amendment, status: int = 200, **forms_: Any) -> HttpResponse:
    filing = _filing(packet)
    today = timezone.localdate()
    return render(
        request,
        "case/amendment.html",
        {
            "packet": packet,
            "amendment": amendment,
            "filing": filing,
            "pinned": filed_content(filing) is not None,
            "diff": diff_from_json(amendment.changes or []),
            "stale": packet.revision != amendment.revision,
            "new_exhibits": amendment_new_exhibits(amendment, filing),
            "changeable": amendment.sent_on is None,
            "renders": list(amendment.renders.all()[:10]),
            "log_entries": list(amendment.log_entries.all()),
            "letter_form": forms_.get("letter_form")
            or AmendmentLetterForm(
                initial={
                    "summary": amendment.summary,
                    "letter": amendment.letter,
                    "loaded": amendment_letter_stamp(amendment),
                }
            ),
            "exhibit_form": forms_.get("exhibit_form") or AmendmentExhibitForm(),
            "sent_form": forms_.get("sent_form") or AmendmentSentForm(initial={"sent_on": today}),
        },
        status=status,
    )


def _back(packet: Packet, amendment: Amendment, anchor: str = "") -> HttpResponse:
    return redirect(f"/packets/{packet.pk}/case/amendments/{amendment.pk}/{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def case_amendment(request: HttpRequest, packet_id: UUID, amendment_id: UUID) -> HttpResponse:
    """The amendment's page; a POST saves the summary and the letter, or (``redraft``) drafts it again."""
    if request.method == "GET":
        return _page(request, *_amendment(request, packet_id, amendment_id, Action.VIEW))
    packet, amendment = _amendment(request, packet_id, amendment_id, Action.EDIT)
    form = AmendmentLetterForm(request.POST)
    if not form.is_valid():
        return _page(request, packet, amendment, 400, letter_form=form)
    redraft = "redraft" in request.POST
    try:
        amendment_update(
            amendment=amendment,
            by=signed_in_user(request),
            summary=form.cleaned_data["summary"],
            letter=form.cleaned_data["letter"],
            loaded=form.cleaned_data["loaded"] or None,
            redraft=redraft,
        )
    except AmendmentRefused as error:
        form.add_error(None, str(error))
        return _page(request, packet, amendment, 400, letter_form=form)
    messages.success(
        request,
        _("The letter was drafted again from what changed since filing.") if redraft else _("The letter is saved."),
    )
    return _back(packet, amendment, "#letter")


@login_required
@require_POST
def case_amendment_exhibit_add(request: HttpRequest, packet_id: UUID, amendment_id: UUID) -> HttpResponse:
    packet, amendment = _amendment(request, packet_id, amendment_id, Action.UPLOAD)
    return new_exhibit_post(
        request,
        packet,
        form_class=AmendmentExhibitForm,
        add=partial(amendment_exhibit_add, amendment=amendment),
        added=_("Added as Exhibit %(label)s; the letter cites it."),
        back=lambda: _back(packet, amendment, "#new-exhibits"),
        page=lambda form: _page(request, packet, amendment, 400, exhibit_form=form),
    )


@login_required
@require_POST
def case_amendment_exhibit_remove(
    request: HttpRequest, packet_id: UUID, amendment_id: UUID, new_exhibit_id: UUID
) -> HttpResponse:
    packet, amendment = _amendment(request, packet_id, amendment_id, Action.UPLOAD)
    document = get_object_or_404(CaseDocument, pk=new_exhibit_id, amendment=amendment)
    try:
        redrafted = amendment_exhibit_remove(amendment=amendment, by=signed_in_user(request), document=document)
    except AmendmentRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The new exhibit was removed, and the letter no longer cites it.")
            if redrafted
            else _("The new exhibit was removed. You edited the letter: check that it no longer cites it."),
        )
    return _back(packet, amendment, "#new-exhibits")


@login_required
@require_POST
def case_amendment_sent(request: HttpRequest, packet_id: UUID, amendment_id: UUID) -> HttpResponse:
    packet, amendment = _amendment(request, packet_id, amendment_id, Action.RENDER_FINAL)
    form = AmendmentSentForm(request.POST)
    if form.is_valid():
        try:
            amendment_mark_sent(
                amendment=amendment,
                by=signed_in_user(request),
                sent_on=form.cleaned_data["sent_on"],
                method=form.cleaned_data["method"],
            )
        except AmendmentRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded as sent."))
            return redirect("case_page", packet_id=packet.pk)
    return _page(request, packet, amendment, 400, sent_form=form)
