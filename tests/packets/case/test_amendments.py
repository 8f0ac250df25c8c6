"""An amendment from the change to the letter sent: recorded from the case page or a logged change, what changed since
the filed version, the supplemental letter citing new exhibits labelled after the filed ones, the PDF read back, sent
once; stale edits, other packets' ids and roles that may not change it are refused."""

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from packets.case.amendments import amendment_letter_stamp
from packets.case.log import case_log_record
from packets.content.services import ExhibitUpload, exhibit_add, packet_save_section
from packets.models import Amendment, CaseLogEntry, CaseLogKind, CaseRender, Filing, Membership, Packet, Role
from tests.assembly.pdfread import outline, page_texts, squash
from tests.builders import make_user, pdf_bytes, upload
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Assess 15 school buildings, including the new annex."


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def case(owner: Any) -> Packet:
    return make_filed_case(owner, make_user("counsel"))


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_project(packet: Packet, by: Any, summary: str = NEW_SUMMARY) -> None:
    packet.refresh_from_db()
    value = dict(packet.data["project"]) | {"summary": summary}
    packet_save_section(packet=packet, section="project", value=value, base_revision=packet.revision, by=by)


def _record(client: Client, packet: Packet, summary: str = "The project now covers 15 buildings") -> Amendment:
    response = client.post(f"/packets/{packet.pk}/case/amendments/new/", {"summary": summary})
    assert response.status_code == 302
    amendment = Amendment.objects.filter(packet=packet).latest("created_at")
    assert amendment.summary == summary
    assert response["Location"] == f"/packets/{packet.pk}/case/amendments/{amendment.pk}/"
    return amendment


def _base(packet: Packet, amendment: Amendment) -> str:
    return f"/packets/{packet.pk}/case/amendments/{amendment.pk}/"


def _add_exhibit(client: Client, packet: Packet, amendment: Amendment, title: str, pages: int = 1) -> Any:
    return client.post(
        f"{_base(packet, amendment)}exhibits/new/",
        {"file": upload(f"{title}.pdf", pdf_bytes(pages, text=title), "application/pdf"), "title": title},
    )


def _log(packet: Packet) -> list[str]:
    return [entry.summary for entry in CaseLogEntry.objects.filter(packet=packet)]  # encrypted: compared here


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _last_message(response: Any) -> str:
    return _messages(response)[-1]  # the redirects were not followed: earlier ones wait in the cookie


def test_an_amendment_from_the_case_page_shows_the_change_since_filing_and_drafts_the_letter(
    owner: Any, case: Packet
) -> None:
    client = _as(owner)
    unchanged = client.get(f"/packets/{case.pk}/case/amendments/new/").content.decode()
    assert 'id="no-changes"' in unchanged
    assert f'href="/packets/{case.pk}/case/amendments/new/"' in client.get(f"/packets/{case.pk}/case/").content.decode()

    _change_project(case, owner)
    page = client.get(f"/packets/{case.pk}/case/amendments/new/").content.decode()
    assert 'id="diff-project"' in page and "<ins>15</ins>" in page and "<del>14</del>" in page

    amendment = _record(client, case)
    assert [row["field"] for row in amendment.changes] == ["summary"]
    assert "now reads “Assess 15 school buildings, including the new annex.”\n" in amendment.letter  # one stop
    assert "receipt number IOE0123456789" in amendment.letter
    page = client.get(_base(case, amendment)).content.decode()
    assert 'id="diff-project"' in page and "Not sent yet." in page
    assert "Amendment recorded: The project now covers 15 buildings" in _log(case)
    case_page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert f'href="{_base(case, amendment)}"' in case_page


def test_an_exhibit_added_to_the_packet_after_filing_is_listed_without_a_label_of_its_own(
    owner: Any, case: Packet
) -> None:
    title = "Revised training plan"
    file = upload("plan.pdf", pdf_bytes(text=title), "application/pdf")
    exhibit_add(packet=case, upload=ExhibitUpload(file=file, kind="plan", title=title), by=owner)
    page = _as(owner).get(f"/packets/{case.pk}/case/amendments/new/").content.decode()
    assert '<h3 id="diff-title-exhibits">Exhibits of the packet</h3>' in page
    assert "Added to the packet: Revised training plan" in page  # its packet label D is not the agency's


def test_a_blank_summary_is_refused_in_plain_words(owner: Any, case: Packet) -> None:
    response = _as(owner).post(f"/packets/{case.pk}/case/amendments/new/", {"summary": "  "})
    assert response.status_code == 400
    assert "Say in a line what changed" in response.content.decode()
    assert not Amendment.objects.exists()


def test_an_amendment_from_a_logged_change_takes_its_line_and_is_linked_to_it_once(owner: Any, case: Packet) -> None:
    entry = case_log_record(
        packet=case, by=owner, kind=CaseLogKind.CHANGE_DATES, summary="Departure moved to 30 April\nBy the school."
    )
    client = _as(owner)
    url = f"/packets/{case.pk}/case/amendments/new/"
    assert f"{url}?from_log={entry.pk}" in client.get(f"/packets/{case.pk}/case/").content.decode()
    form = client.get(url, {"from_log": entry.pk}).content.decode()
    assert 'value="Departure moved to 30 April"' in form
    assert "Change of dates of " + date_format(entry.happened_on, "DATE_FORMAT") in form

    created = client.post(url, {"summary": "Departure moved to 30 April", "from_log": entry.pk})
    amendment = Amendment.objects.get(packet=case)
    assert created["Location"] == _base(case, amendment)
    entry.refresh_from_db()
    assert entry.amendment == amendment
    assert "From the case log:" in client.get(_base(case, amendment)).content.decode()

    again = client.get(url, {"from_log": entry.pk})
    assert again.status_code == 302 and again["Location"] == _base(case, amendment)
    assert Amendment.objects.count() == 1
    other = make_filed_case(make_user("other"), name="Other case")
    foreign = case_log_record(packet=other, by=None, kind=CaseLogKind.CHANGE_PEOPLE, summary="Someone else's")
    assert client.get(url, {"from_log": foreign.pk}).status_code == 404
    assert client.get(url, {"from_log": "not-an-id"}).status_code == 404


def test_new_exhibits_continue_after_the_filed_labels_and_the_letter_cites_them(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    added = _add_exhibit(client, case, amendment, "Annex inspection plan", pages=2)
    assert added.status_code == 302 and added["Location"].endswith("#new-exhibits")
    assert _last_message(added) == "Added as Exhibit D; the letter cites it."  # A–C were filed
    _add_exhibit(client, case, amendment, "School board minutes")
    amendment.refresh_from_db()
    assert "See Exhibit D: Annex inspection plan." in amendment.letter
    assert "See Exhibit E: School board minutes." in amendment.letter
    page = client.get(_base(case, amendment)).content.decode()
    assert "Exhibit D</strong>" in page and "(2 p.)" in page and "Exhibit E</strong>" in page

    first = amendment.new_exhibits.order_by("created_at").first()
    assert first is not None and first.title == "Annex inspection plan"
    removed = client.post(f"{_base(case, amendment)}exhibits/{first.pk}/remove/")
    assert removed.status_code == 302
    assert _last_message(removed) == "The new exhibit was removed, and the letter no longer cites it."
    amendment.refresh_from_db()
    assert "Annex inspection plan" not in amendment.letter
    assert "See Exhibit D: School board minutes." in amendment.letter  # the labels close up
    assert any("Exhibit D (Annex inspection plan)" in line for line in _log(case))


def test_an_edited_letter_is_kept_and_a_new_exhibit_cited_at_its_end(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    typed = "To the reviewing officer:\n\nOur own words about the annex."
    saved = client.post(
        _base(case, amendment),
        {"summary": amendment.summary, "letter": typed, "loaded": amendment_letter_stamp(amendment)},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#letter")
    _add_exhibit(client, case, amendment, "Annex inspection plan")
    amendment.refresh_from_db()
    assert amendment.letter == typed + "\n\nSee Exhibit D: Annex inspection plan."
    removed = client.post(f"{_base(case, amendment)}exhibits/{amendment.new_exhibits.get().pk}/remove/")
    assert "You edited the letter: check that it no longer cites it." in _last_message(removed)
    amendment.refresh_from_db()
    assert amendment.letter.startswith(typed)


def test_a_bad_file_is_refused_and_the_title_kept(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    response = client.post(
        f"{_base(case, amendment)}exhibits/new/",
        {"file": upload("broken.pdf", b"%PDF-1.4 broken", "application/pdf"), "title": "Annex inspection plan"},
    )
    assert response.status_code == 400
    assert 'value="Annex inspection plan"' in response.content.decode()
    assert not amendment.new_exhibits.exists()


def test_a_stale_letter_edit_is_refused_and_the_typed_text_kept(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    shown = amendment_letter_stamp(amendment)
    _add_exhibit(client, case, amendment, "Annex inspection plan")  # changes the letter in another tab
    response = client.post(
        _base(case, amendment),
        {"summary": "A new line", "letter": "My careful words about the annex.", "loaded": shown},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this letter while you were writing" in page
    assert "My careful words about the annex." in page and 'value="A new line"' in page
    amendment.refresh_from_db()
    assert "See Exhibit D: Annex inspection plan." in amendment.letter and amendment.summary != "A new line"


def test_drafting_again_takes_what_changed_since_the_amendment_was_drafted(owner: Any, case: Packet) -> None:
    client = _as(owner)
    _change_project(case, owner)
    amendment = _record(client, case)
    _change_project(case, owner, "Assess 16 school buildings.")
    assert (
        "The packet changed again since this amendment was drafted"
        in client.get(_base(case, amendment)).content.decode()
    )
    client.post(
        _base(case, amendment),
        {"summary": amendment.summary, "letter": "", "loaded": amendment_letter_stamp(amendment), "redraft": "1"},
    )
    amendment.refresh_from_db()
    case.refresh_from_db()
    assert amendment.revision == case.revision
    assert "now reads “Assess 16 school buildings.”" in amendment.letter
    assert "The packet changed again" not in client.get(_base(case, amendment)).content.decode()


def test_the_pdf_is_the_letter_then_each_new_exhibit_stamped_and_in_the_outline(owner: Any, case: Packet) -> None:
    client = _as(owner)
    _change_project(case, owner)
    amendment = _record(client, case)
    _add_exhibit(client, case, amendment, "Annex inspection plan", pages=2)
    built = client.post(f"{_base(case, amendment)}render/", {"final": "1", "next": _base(case, amendment)})
    assert built.status_code == 302 and built["Location"] == _base(case, amendment)
    render = CaseRender.objects.get(amendment=amendment)
    assert render.final and render.source_revision == amendment.revision
    with render.pdf.storage.open(render.pdf.name, "rb") as handle:
        pdf = bytes(handle.read())
    texts = page_texts(pdf)
    letter = squash(texts[0])
    assert texts[0].lstrip().startswith("Supplemental information")
    assert "IOE0123456789" in letter and "The project now covers 15 buildings" in letter
    assert "See Exhibit D: Annex inspection plan." in letter
    stamps = [match for text in texts for match in re.findall(r"Exhibit [A-Z]+, page \d+ of \d+", text)]
    assert stamps == ["Exhibit D, page 1 of 2", "Exhibit D, page 2 of 2"]
    assert [bookmark.title for bookmark in outline(pdf)][-1] == "Exhibit D — Annex inspection plan"
    assert render.layout == {"D": {"first_page": render.page_count - 1, "pages": 2}}


def test_marking_it_sent_refuses_a_future_date_then_logs_it_and_keeps_it_as_sent(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    future = client.post(f"{_base(case, amendment)}sent/", {"sent_on": tomorrow.isoformat(), "method": "mail"})
    assert future.status_code == 400
    assert "between the filing date and today" in future.content.decode()
    amendment.refresh_from_db()
    assert amendment.sent_on is None

    today = timezone.localdate()
    sent = client.post(f"{_base(case, amendment)}sent/", {"sent_on": today.isoformat(), "method": "courier"})
    assert sent.status_code == 302 and sent["Location"] == f"/packets/{case.pk}/case/"
    amendment.refresh_from_db()
    assert (amendment.sent_on, amendment.sent_method) == (today, "courier")
    [entry] = [
        entry for entry in CaseLogEntry.objects.filter(packet=case) if entry.summary.startswith("Amendment sent")
    ]
    assert entry.happened_on == today and "The project now covers 15 buildings" in entry.summary
    page = client.get(_base(case, amendment)).content.decode()
    assert "Sent on " + date_format(today, "DATE_FORMAT") in page and "Save the letter" not in page
    edit = client.post(
        _base(case, amendment), {"summary": "Changed", "letter": "x", "loaded": amendment_letter_stamp(amendment)}
    )
    assert edit.status_code == 400 and "it cannot be changed" in edit.content.decode()
    late = _add_exhibit(client, case, amendment, "Too late")
    assert late.status_code == 400 and not amendment.new_exhibits.exists()


def test_another_packet_s_amendment_and_exhibit_are_not_found(owner: Any, case: Packet) -> None:
    client = _as(owner)
    amendment = _record(client, case)
    _add_exhibit(client, case, amendment, "Annex inspection plan")
    other = make_filed_case(owner, name="Other case")
    theirs = _record(client, other, "Their change")
    wrong = _base(case, theirs)
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"summary": "x", "letter": "y"}).status_code == 404
    assert (
        client.post(f"{wrong}sent/", {"sent_on": timezone.localdate().isoformat(), "method": "mail"}).status_code == 404
    )
    document = amendment.new_exhibits.get()
    assert client.post(f"{_base(other, theirs)}exhibits/{document.pk}/remove/").status_code == 404
    assert amendment.new_exhibits.count() == 1
    assert _as(make_user("stranger")).get(_base(case, amendment)).status_code == 404


def test_a_viewer_reads_it_but_cannot_change_it_and_an_editor_cannot_mark_it_sent(owner: Any, case: Packet) -> None:
    amendment = _record(_as(owner), case)
    viewer, editor = make_user("viewer"), make_user("editor")
    Membership.objects.create(packet=case, user=viewer, role=Role.VIEWER)
    Membership.objects.create(packet=case, user=editor, role=Role.EDITOR)
    reader = _as(viewer)
    page = reader.get(_base(case, amendment))
    assert page.status_code == 200 and "Save the letter" not in page.content.decode()
    assert reader.get(f"/packets/{case.pk}/case/amendments/new/").status_code == 404
    assert reader.post(_base(case, amendment), {"summary": "x", "letter": "y"}).status_code == 404
    assert _add_exhibit(reader, case, amendment, "Annex inspection plan").status_code == 404
    today = timezone.localdate().isoformat()
    assert _as(editor).post(f"{_base(case, amendment)}sent/", {"sent_on": today, "method": "mail"}).status_code == 404
    assert "Record as sent" not in _as(editor).get(_base(case, amendment)).content.decode()
    amendment.refresh_from_db()
    assert (amendment.summary, amendment.sent_on) == ("The project now covers 15 buildings", None)


def test_a_packet_filed_with_an_outside_pdf_has_no_diff_to_show(owner: Any, case: Packet) -> None:
    filing = Filing.objects.get(packet=case)
    filing.filed_version, filing.filed_outside_app = None, True
    filing.save()
    client = _as(owner)
    assert 'id="no-filed-content"' in client.get(f"/packets/{case.pk}/case/amendments/new/").content.decode()
    amendment = _record(client, case)
    assert amendment.changes == [] and "the following changed" not in amendment.letter
    assert 'id="no-filed-content"' in client.get(_base(case, amendment)).content.decode()
