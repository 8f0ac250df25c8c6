"""Amendments: a change of scope, people or dates after filing, sent to the agency with a supplemental letter.

An amendment keeps what changed between the filed version (``Filing.filed_version``) and the packet's content as it
was when the amendment was drafted (``Amendment.changes``, a flat JSON list of the diff of ``packets.content.diffs``,
and ``Amendment.revision``), a letter drafted from it that cites the new exhibits it adds ("See Exhibit O"), and when
it was sent. A packet filed with a PDF made outside this app has no pinned content: there is no diff to show.

The letter is drafted once; while nobody has edited it, adding or removing a new exhibit drafts it again, otherwise
the new exhibit is cited at the end of the edited text — typed text is never replaced without being asked.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from packets.case.amendment_diffs import changes_since_filing, diff_from_json
from packets.case.documents import CaseUpload, case_document_add, case_document_remove
from packets.case.labels import new_exhibit_labels
from packets.case.log import case_log_record
from packets.content.diffs import PacketDiff
from packets.models import (
    Amendment,
    CaseDocument,
    CaseDocumentKind,
    CaseLogEntry,
    Filing,
    Packet,
    SentMethod,
)
from packets.review.workflow import ReviewRefused

_PROSE_IN_LETTER = 240  # characters of a rewritten text quoted in the letter


class AmendmentRefused(ReviewRefused):
    """The amendment cannot be changed that way (it was sent, or the log entry already became one)."""


# ── The letter ────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class NewExhibit:
    label: str
    title: str
    document_id: str
    pages: int


def amendment_new_exhibits(amendment: Amendment, filing: Filing) -> list[NewExhibit]:
    """The exhibits this amendment adds, with their labels across the case (after the filed ones), in label order."""
    labels = new_exhibit_labels(filing)
    rows = [
        NewExhibit(labels[document.pk], document.title, str(document.pk), document.page_count)
        for document in amendment.new_exhibits.order_by("created_at", "pk")
        if document.pk in labels
    ]
    return rows


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _PROSE_IN_LETTER else text[: _PROSE_IN_LETTER - 1].rstrip() + "…"


def _change_lines(diff: PacketDiff) -> list[str]:
    lines = []
    for section in diff.sections:
        for change in section.fields:
            if change.words is not None:
                quoted = _quoted(change.after)
                line = _("%(section)s, %(field)s: now reads “%(after)s”") % {
                    "section": section.title,
                    "field": change.label,
                    "after": quoted,
                }
                # A quote that ends a sentence ends the line: no second full stop after it.
                lines.append(line if quoted.endswith((".", "!", "?", "…")) else line + ".")
            else:
                lines.append(
                    _("%(section)s, %(field)s: was %(before)s, now %(after)s.")
                    % {"section": section.title, "field": change.label, "before": change.before, "after": change.after}
                )
        for listed in section.lists:
            parts = [_("added %(rows)s") % {"rows": "; ".join(listed.added)}] if listed.added else []
            parts += [_("removed %(rows)s") % {"rows": "; ".join(listed.removed)}] if listed.removed else []
            parts += [
                _("changed %(row)s (%(fields)s)")
                % {"row": row.label, "fields": ", ".join(change.label for change in row.fields)}
                for row in listed.changed
            ]
            parts += [_("reordered")] if listed.moved else []
            lines.append(
                _("%(section)s, %(list)s: %(parts)s.")
                % {"section": section.title, "list": listed.label, "parts": "; ".join(parts)}
            )
    for exhibit in diff.exhibits:
        before, after = exhibit.before or {}, exhibit.after or {}
        words = {
            "added": _("a new exhibit “%(after)s” was added to the packet"),
            "removed": _("Exhibit %(label)s “%(before)s” was withdrawn"),
            "replaced": _("Exhibit %(label)s “%(before)s” was replaced with a new copy"),
            "retitled": _("Exhibit %(label)s “%(before)s” is now titled “%(after)s”"),
        }.get(exhibit.kind, "%(before)s")
        values = {"label": before.get("label", ""), "before": before.get("title", ""), "after": after.get("title", "")}
        lines.append(_("Exhibits: %(change)s.") % {"change": words % values})
    return lines


def amendment_letter_draft(
    *, packet: Packet, filing: Filing, changes: list[dict[str, Any]] | None, exhibits: list[NewExhibit]
) -> str:
    """The supplemental letter's text, in plain words and in English (it goes to the agency): what changed, field by
    field in short, and "See Exhibit O" for each new exhibit. The summary and the signature are printed around it."""
    with translation.override("en"):
        receipt = filing.receipt_number or _("not yet received")
        paragraphs = [
            _("To the reviewing officer:"),
            _(
                "This letter supplements the request for parole for %(beneficiary)s filed on %(filed)s "
                "(receipt number %(receipt)s), to report a change since it was filed."
            )
            % {
                "beneficiary": packet.content.beneficiary.full_name or packet.name,
                "filed": filing.filed_on.isoformat(),
                "receipt": receipt,
            },
        ]
        lines = _change_lines(diff_from_json(changes)) if changes else []
        if lines:
            paragraphs.append(
                _("Since the request was filed, the following changed:")
                + "\n"
                + "\n".join(f"- {line}" for line in lines)
            )
        if exhibits:
            paragraphs.append(
                _("The documents supporting the change are enclosed after this letter:")
                + "\n"
                + "\n".join(f"- {_exhibit_line(exhibit)}" for exhibit in exhibits)
            )
        paragraphs.append(_("Please add this information to the record of the request."))
        return "\n\n".join(paragraphs)


def _exhibit_line(exhibit: NewExhibit) -> str:
    return _("See Exhibit %(label)s: %(title)s.") % {"label": exhibit.label, "title": exhibit.title}


def _draft_for(amendment: Amendment, filing: Filing, exhibits: list[NewExhibit]) -> str:
    return amendment_letter_draft(
        packet=amendment.packet, filing=filing, changes=amendment.changes or None, exhibits=exhibits
    )


# ── Services ──────────────────────────────────────────────────────────────────────────────────────────────────


def _filing(packet: Packet) -> Filing:
    return Filing.objects.select_related("filed_version").get(packet_id=packet.pk)


def _unsent(amendment: Amendment) -> Amendment:
    locked = Amendment.objects.select_for_update().select_related("packet").get(pk=amendment.pk)
    if locked.sent_on is not None:
        raise AmendmentRefused(_("This amendment was sent; it cannot be changed. Record a new amendment instead."))
    return locked


def amendment_create(
    *, packet: Packet, by: User | None, summary: str, from_log: CaseLogEntry | None = None
) -> Amendment:
    """Record an amendment of the filed ``packet``: what changed since filing, as it is now, and a drafted letter;
    ``from_log`` is the log entry (a change of scope, people or dates) it comes from."""
    filing = _filing(packet)
    changes = changes_since_filing(packet, filing)
    with transaction.atomic():
        if from_log is not None:
            from_log = CaseLogEntry.objects.select_for_update().get(pk=from_log.pk, packet=packet)
            if from_log.amendment_id is not None:
                raise AmendmentRefused(_("That log entry was already recorded as an amendment."))
        amendment = Amendment.objects.create(
            packet=packet,
            summary=summary[:300],
            revision=packet.revision,
            changes=changes or [],
            created_by=by,
        )
        amendment.letter = _draft_for(amendment, filing, [])
        amendment.save(update_fields=["letter"])
        if from_log is not None:
            from_log.amendment = amendment
            from_log.save(update_fields=["amendment"])
        case_log_record(packet=packet, by=by, summary=_("Amendment recorded: %(summary)s") % {"summary": summary})
    return amendment


def amendment_letter_stamp(amendment: Amendment) -> str:
    """What the letter form was loaded from (the summary and the letter), to tell a stale edit from a fresh one."""
    return hashlib.sha256(f"{amendment.summary}\0{amendment.letter}".encode()).hexdigest()


def amendment_update(
    *,
    amendment: Amendment,
    by: User | None,
    summary: str,
    letter: str,
    loaded: str | None = None,
    redraft: bool = False,
) -> Amendment:
    """Save the summary and the letter; ``redraft``: take what changed since filing again, as the packet is now, and
    draft the letter from it (replacing the letter's text). ``loaded`` is the ``amendment_letter_stamp`` the form was
    shown with: a letter changed by someone else since (or by a new exhibit) is refused, never overwritten."""
    with transaction.atomic():
        locked = _unsent(amendment)
        if loaded is not None and loaded != amendment_letter_stamp(locked):
            raise AmendmentRefused(
                _(
                    "Someone else changed this letter while you were writing. Your text is still in the form: copy "
                    "it, reload the page to see theirs, and combine the two."
                )
            )
        locked.summary = summary[:300]
        fields = ["summary", "letter"]
        if redraft:
            filing = _filing(locked.packet)
            locked.changes = changes_since_filing(locked.packet, filing) or []
            locked.revision = locked.packet.revision
            locked.letter = _draft_for(locked, filing, amendment_new_exhibits(locked, filing))
            fields += ["changes", "revision"]
        else:
            locked.letter = letter
        locked.save(update_fields=fields)
    return locked


def amendment_exhibit_add(
    *, amendment: Amendment, by: User | None, file: UploadedFile, title: str, form_token: str = ""
) -> CaseDocument:
    """A new exhibit for the amendment (its label continues after the filed ones); the letter cites it. Raises
    ``UploadRejected`` (plain words) when the file cannot be used."""
    with transaction.atomic():
        locked = _unsent(amendment)
        filing = _filing(locked.packet)
        untouched = locked.letter == _draft_for(locked, filing, amendment_new_exhibits(locked, filing))
        document = case_document_add(
            packet=locked.packet,
            upload=CaseUpload(
                file=file,
                kind=CaseDocumentKind.AMENDMENT_EVIDENCE,
                title=title,
                amendment=locked,
                form_token=form_token,
            ),
            by=by,
        )
        exhibits = amendment_new_exhibits(locked, filing)
        added = next((exhibit for exhibit in exhibits if exhibit.document_id == str(document.pk)), None)
        if untouched:
            locked.letter = _draft_for(locked, filing, exhibits)
        elif added is not None and f"Exhibit {added.label}" not in locked.letter:
            with translation.override("en"):
                locked.letter = locked.letter.rstrip() + "\n\n" + _exhibit_line(added)
        locked.save(update_fields=["letter"])
        label = added.label if added else ""
        case_log_record(
            packet=locked.packet,
            by=by,
            summary=_("Exhibit %(label)s (%(title)s) added to the amendment “%(summary)s”.")
            % {"label": label, "title": document.title, "summary": locked.summary},
        )
    return document


def amendment_exhibit_remove(*, amendment: Amendment, by: User | None, document: CaseDocument) -> bool:
    """Remove a new exhibit of the amendment. Returns whether the letter was drafted again; when it was edited by
    hand, it is kept as it is (the caller says that it may still cite the removed exhibit)."""
    with transaction.atomic():
        locked = _unsent(amendment)
        filing = _filing(locked.packet)
        untouched = locked.letter == _draft_for(locked, filing, amendment_new_exhibits(locked, filing))
        title = document.title
        case_document_remove(document=document)
        if untouched:
            locked.letter = _draft_for(locked, filing, amendment_new_exhibits(locked, filing))
            locked.save(update_fields=["letter"])
        case_log_record(
            packet=locked.packet,
            by=by,
            summary=_("A new exhibit (%(title)s) was removed from the amendment “%(summary)s”.")
            % {"title": title, "summary": locked.summary},
        )
    return untouched


def amendment_mark_sent(*, amendment: Amendment, by: User | None, sent_on: date, method: str) -> Amendment:
    """Record that the supplemental letter was sent (once): from then on the amendment is kept as it was sent."""
    if method not in SentMethod.values:
        raise AmendmentRefused(_("Choose how it was sent."))
    with transaction.atomic():
        locked = _unsent(amendment)
        if sent_on > timezone.localdate() or sent_on < _filing(locked.packet).filed_on:
            raise AmendmentRefused(_("The date sent must be between the filing date and today."))
        locked.sent_on, locked.sent_method = sent_on, method
        locked.save(update_fields=["sent_on", "sent_method"])
        case_log_record(
            packet=locked.packet,
            by=by,
            happened_on=sent_on,
            summary=_("Amendment sent (%(method)s): %(summary)s")
            % {"method": SentMethod(method).label, "summary": locked.summary},
        )
    return locked
