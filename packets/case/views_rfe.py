"""A request for evidence: recording it, its page (items, answers, citations, new exhibits, readiness, review) and
the steps that change it. Each POST answers with the page again (400, nothing lost) or redirects back to it."""

from functools import partial
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from packets.case.access import case_packet_for_user
from packets.case.deadlines import rfe_due_on
from packets.case.labels import new_exhibit_labels
from packets.case.rfe import (
    citable_exhibits,
    citations_text,
    parse_citations,
    rfe_exhibit_add,
    rfe_exhibit_remove,
    rfe_introduction_save,
    rfe_item_add,
    rfe_item_answer,
    rfe_record,
)
from packets.case.rfe_forms import (
    RfeAnswerForm,
    RfeCommentForm,
    RfeExhibitForm,
    RfeIntroductionForm,
    RfeItemForm,
    RfeRecordForm,
    RfeSentForm,
    RfeStepForm,
)
from packets.case.rfe_readiness import rfe_readiness
from packets.case.rfe_review import rfe_comment_add, rfe_comment_resolve, rfe_mark_sent, rfe_steps_for, rfe_transition
from packets.case.views_new_exhibits import new_exhibit_post
from packets.evidence.uploads import UploadRejected
from packets.models import CaseComment, CaseDocument, Filing, Packet, RequestForEvidence, ReviewState, RfeItem
from packets.permissions import Action, signed_in_user
from packets.review.workflow import ReviewRefused


@login_required
@require_http_methods(["GET", "POST"])
def case_rfe_new(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    filing = Filing.objects.get(packet_id=packet.pk)
    form = RfeRecordForm(request.POST or None, request.FILES or None, filing=filing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rfe = rfe_record(
                packet=packet,
                by=signed_in_user(request),
                issued_on=data["issued_on"],
                received_on=data["received_on"],
                mailed=data["mailed"],
                items=data["items"],
                notice=data.get("notice"),
                form_token=data.get("form_token", ""),
            )
        except UploadRejected as error:
            form.add_error("notice", str(error))
        except ReviewRefused as error:
            form.add_error("items", str(error))
        else:
            messages.success(
                request,
                _("The request for evidence is recorded. The response is due %(date)s.")
                % {"date": rfe_due_on(rfe).isoformat()},
            )
            return redirect("case_rfe", packet_id=packet.pk, rfe_id=rfe.pk)
    return render(request, "case/rfe_new.html", {"packet": packet, "form": form}, status=400 if form.errors else 200)


def _rfe(request: HttpRequest, packet_id: UUID, rfe_id: UUID, action: Action) -> tuple[Packet, RequestForEvidence]:
    packet = case_packet_for_user(request.user, packet_id, action)
    return packet, get_object_or_404(RequestForEvidence, pk=rfe_id, packet=packet)


def _page(
    request: HttpRequest, packet: Packet, rfe: RequestForEvidence, status: int = 200, **forms_: Any
) -> HttpResponse:
    filing = Filing.objects.select_related("filed_version").get(packet_id=packet.pk)
    citable = citable_exhibits(rfe, filing)
    labels = {str(pk): label for pk, label in new_exhibit_labels(filing).items()}
    items = list(rfe.items.all())
    failed_item = forms_.get("failed_item")
    for item in items:
        if failed_item is not None and failed_item[0] == item.pk:
            item.form = failed_item[1]  # type: ignore[attr-defined]
        else:
            item.form = RfeAnswerForm(  # type: ignore[attr-defined]
                initial={"answer": item.answer, "cites": citations_text(item.citations, labels)},
                prefix=f"item-{item.number}",
            )
    today = timezone.localdate()
    comments = list(CaseComment.objects.filter(rfe=rfe).select_related("author", "item"))
    return render(
        request,
        "case/rfe.html",
        {
            "packet": packet,
            "rfe": rfe,
            "filing": filing,
            "items": items,
            "citable": citable,
            "new_exhibits": [row for row in citable if row.new],
            "changeable": rfe.review_state != ReviewState.SENT,
            "findings": rfe_readiness(rfe, items, citable, today),
            "due_on": rfe_due_on(rfe),
            "today": today,
            "steps": rfe_steps_for(rfe, getattr(packet, "current_role", None)),
            "comments": comments,
            "events": list(rfe.review_events.select_related("user")),
            "renders": list(rfe.renders.all()[:10]),
            "introduction_form": forms_.get("introduction_form")
            or RfeIntroductionForm(initial={"introduction": rfe.introduction}),
            "exhibit_form": forms_.get("exhibit_form") or RfeExhibitForm(),
            "item_form": forms_.get("item_form") or RfeItemForm(),
            "sent_form": forms_.get("sent_form") or RfeSentForm(initial={"sent_on": today}),
            "step_form": forms_.get("step_form") or RfeStepForm(initial={"revision": rfe.revision}),
            "comment_form": forms_.get("comment_form") or RfeCommentForm(),
        },
        status=status,
    )


def _back(packet: Packet, rfe: RequestForEvidence, anchor: str = "") -> HttpResponse:
    return redirect(f"/packets/{packet.pk}/case/rfe/{rfe.pk}/{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def case_rfe(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    """The RFE page; a POST saves one item's answer (``item`` = its number) or the letter's opening."""
    if request.method == "GET":
        packet, rfe = _rfe(request, packet_id, rfe_id, Action.VIEW)
        return _page(request, packet, rfe)
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.EDIT)
    by = signed_in_user(request)
    if rfe.review_state == ReviewState.SENT:
        messages.error(request, _("This response was sent; it cannot be changed. Only one response is possible."))
        return _page(request, packet, rfe, 400)
    if "introduction" in request.POST:
        intro = RfeIntroductionForm(request.POST)
        if not intro.is_valid():
            return _page(request, packet, rfe, 400, introduction_form=intro)
        try:
            rfe_introduction_save(rfe=rfe, by=by, introduction=intro.cleaned_data["introduction"])
        except ReviewRefused as error:
            messages.error(request, str(error))
        return _back(packet, rfe)
    item = RfeItem.objects.filter(rfe=rfe, number=_int(request.POST.get("item"))).first()
    if item is None:
        messages.error(request, _("Nothing was saved: the item to answer was not found. Open the page again."))
        return _page(request, packet, rfe, 400)
    form = RfeAnswerForm(request.POST, prefix=f"item-{item.number}")
    if form.is_valid():
        filing = Filing.objects.select_related("filed_version").get(packet_id=packet.pk)
        try:
            citations = parse_citations(form.cleaned_data["cites"], citable_exhibits(rfe, filing))
            rfe_item_answer(item=item, by=by, answer=form.cleaned_data["answer"], citations=citations)
        except ReviewRefused as error:
            form.add_error("cites", str(error))
        else:
            messages.success(request, _("Item %(number)s is saved.") % {"number": item.number})
            return _back(packet, rfe, f"#item-{item.number}")
    rfe.refresh_from_db()
    return _page(request, packet, rfe, 400, failed_item=(item.pk, form))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@login_required
@require_POST
def case_rfe_item_add(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.EDIT)
    form = RfeItemForm(request.POST)
    if not form.is_valid():
        return _page(request, packet, rfe, 400, item_form=form)
    try:
        item = rfe_item_add(rfe=rfe, by=signed_in_user(request), text=form.cleaned_data["text"])
    except ReviewRefused as error:
        messages.error(request, str(error))
        return _back(packet, rfe)
    return _back(packet, rfe, f"#item-{item.number}")


@login_required
@require_POST
def case_rfe_exhibit_add(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.UPLOAD)
    return new_exhibit_post(
        request,
        packet,
        form_class=RfeExhibitForm,
        add=partial(rfe_exhibit_add, rfe=rfe),
        added=_("Added as Exhibit %(label)s. Cite it in the answers."),
        back=lambda: _back(packet, rfe, "#new-exhibits"),
        page=lambda form: _page(request, packet, rfe, 400, exhibit_form=form),
    )


@login_required
@require_POST
def case_rfe_exhibit_remove(request: HttpRequest, packet_id: UUID, rfe_id: UUID, document_id: UUID) -> HttpResponse:
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.UPLOAD)
    document = get_object_or_404(CaseDocument, pk=document_id, rfe=rfe)
    try:
        rfe_exhibit_remove(rfe=rfe, by=signed_in_user(request), document=document)
    except ReviewRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The new exhibit was removed, and the answers no longer cite it."))
    return _back(packet, rfe, "#new-exhibits")


@login_required
@require_POST
def case_rfe_step(request: HttpRequest, packet_id: UUID, rfe_id: UUID, step: str) -> HttpResponse:
    action = Action.REVIEW if step in ("approve", "request_changes") else Action.EDIT
    packet, rfe = _rfe(request, packet_id, rfe_id, action)
    form = RfeStepForm(request.POST)
    form.is_valid()
    try:
        rfe_transition(
            rfe=rfe,
            by=signed_in_user(request),
            name=step,
            note=form.cleaned_data.get("note") or "",
            revision=form.cleaned_data.get("revision"),
        )
    except ReviewRefused as error:
        form.add_error("note", str(error))
        return _page(request, packet, rfe, 400, step_form=form)
    messages.success(request, _("The response is now “%(state)s”.") % {"state": rfe.get_review_state_display()})
    return _back(packet, rfe, "#review")


@login_required
@require_POST
def case_rfe_sent(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.RENDER_FINAL)
    form = RfeSentForm(request.POST)
    if form.is_valid():
        try:
            rfe_mark_sent(
                rfe=rfe,
                by=signed_in_user(request),
                sent_on=form.cleaned_data["sent_on"],
                method=form.cleaned_data["method"],
            )
        except ReviewRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded as sent. The case now waits on the agency."))
            return redirect("case_page", packet_id=packet.pk)
    return _page(request, packet, rfe, 400, sent_form=form)


@login_required
@require_POST
def case_rfe_comment(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    packet, rfe = _rfe(request, packet_id, rfe_id, Action.COMMENT)
    if "resolve" in request.POST:
        comment = get_object_or_404(CaseComment, pk=_uuid_or_none(request.POST["resolve"]), rfe=rfe)
        rfe_comment_resolve(comment=comment, by=signed_in_user(request))
        return _back(packet, rfe, "#comments")
    form = RfeCommentForm(request.POST)
    if not form.is_valid():
        return _page(request, packet, rfe, 400, comment_form=form)
    item = RfeItem.objects.filter(rfe=rfe, number=form.cleaned_data.get("item") or -1).first()
    try:
        rfe_comment_add(rfe=rfe, by=signed_in_user(request), body=form.cleaned_data["body"], item=item)
    except ReviewRefused as error:
        form.add_error("body", str(error))
        return _page(request, packet, rfe, 400, comment_form=form)
    return _back(packet, rfe, "#comments")


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
