"""The case page of a filed packet: receipt, next deadline first, the stages in words, and the case log."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from packets.case.documents import CaseUpload, case_document_add
from packets.models import (
    AuditEntry,
    CaseDocument,
    CaseDocumentKind,
    CaseLogEntry,
    CaseRender,
    CaseRenderKind,
    Filing,
    Membership,
    Role,
)
from tests.builders import jpeg_bytes, make_packet, make_user, pdf_bytes, upload
from tests.case_builders import make_filed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def case(owner: Any) -> Any:
    return make_filed_case(owner, receipt_number="")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_case_page_shows_the_stages_in_words_and_says_no_deadline_is_open(
    client: Client, owner: Any, case: Any
) -> None:
    page = _as(client, owner).get(f"/packets/{case.pk}/case/").content.decode()
    assert "The case after filing" in page
    assert "For Ana María Ortiz Reyes" in page
    assert "Receipt number not known yet" in page
    assert "No deadline is open now" in page
    stages = page[page.index('class="case-stages"') :]
    assert stages.index("Filed") < stages.index("Receipt") < stages.index("Decision") < stages.index("Closed")
    assert "stage-current" in stages


def test_recording_the_receipt_validates_the_number_and_logs_the_change(client: Client, owner: Any, case: Any) -> None:
    url = f"/packets/{case.pk}/case/filing/"
    refused = _as(client, owner).post(url, {"receipt_number": "IOE12345", "receipt_on": ""})
    assert refused.status_code == 400
    assert "three letters and ten digits" in refused.content.decode()
    assert "IOE12345" in refused.content.decode()  # what was typed is kept

    today = timezone.localdate().isoformat()
    notice = upload("receipt.pdf", pdf_bytes(text="I-797C Notice of Action"), "application/pdf")
    response = client.post(
        url,
        {
            "receipt_number": "ioe 0123-456-789",
            "receipt_on": today,
            "e_notification_requested": "on",
            "receipt_notice": notice,
        },
    )
    assert response.status_code == 302
    filing = Filing.objects.get(packet=case)
    assert (filing.receipt_number, filing.e_notification_requested) == ("IOE0123456789", True)
    assert filing.receipt_notice is not None and filing.receipt_notice.kind == "receipt_notice"
    assert "receipt number IOE0123456789" in CaseLogEntry.objects.get(packet=case).summary
    page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "Receipt number IOE0123456789" in page
    download = client.get(f"/packets/{case.pk}/case/documents/{filing.receipt_notice_id}/download/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    downloads = [entry.description for entry in AuditEntry.objects.filter(packet=case, action="download")]
    assert any(description.startswith("case document download") for description in downloads), downloads
    changes = [entry.description for entry in AuditEntry.objects.filter(packet=case).exclude(action="download")]
    assert any(description.startswith("case filing edit") for description in changes), changes


def test_a_hostile_receipt_notice_is_refused_in_plain_words_and_the_number_kept(
    client: Client, owner: Any, case: Any
) -> None:
    bad = upload("receipt.pdf", b"%PDF-1.7\n garbage that is no PDF at all", "application/pdf")
    response = _as(client, owner).post(
        f"/packets/{case.pk}/case/filing/", {"receipt_number": "IOE0123456789", "receipt_notice": bad}
    )
    assert response.status_code == 400
    assert "IOE0123456789" in response.content.decode()
    assert Filing.objects.get(packet=case).receipt_number == ""
    assert not CaseDocument.objects.filter(packet=case).exists()


def test_the_case_log_keeps_entries_with_attachments_and_deletes_only_when_confirmed(
    client: Client, owner: Any, case: Any
) -> None:
    today = timezone.localdate().isoformat()
    form = {
        "happened_on": today,
        "kind": "change_dates",
        "who": "Dr. Ortiz (partner)",
        "summary": "The departure moves two weeks later.",
        "attachment": upload("email.jpg", jpeg_bytes(400, 500), "image/jpeg"),
        "attachment_title": "Email from Dr. Ortiz",
    }
    assert _as(client, owner).post(f"/packets/{case.pk}/case/log/new/", form).status_code == 302
    entry = CaseLogEntry.objects.get(packet=case)
    assert entry.attachments.get().title == "Email from Dr. Ortiz"
    page = client.get(f"/packets/{case.pk}/case/").content.decode()
    assert "The departure moves two weeks later." in page and "Email from Dr. Ortiz" in page

    future = client.post(f"/packets/{case.pk}/case/log/new/", form | {"happened_on": "2999-01-01", "attachment": ""})
    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()

    client.post(f"/packets/{case.pk}/case/log/{entry.pk}/delete/", {})
    assert CaseLogEntry.objects.filter(pk=entry.pk).exists()
    client.post(f"/packets/{case.pk}/case/log/{entry.pk}/delete/", {"confirm": "yes"})
    assert not CaseLogEntry.objects.filter(pk=entry.pk).exists()
    assert not CaseDocument.objects.filter(packet=case).exists()


def test_a_viewer_reads_the_case_but_cannot_record_and_a_stranger_sees_nothing(client: Client, case: Any) -> None:
    viewer = make_user("viewer")
    Membership.objects.create(packet=case, user=viewer, role=Role.VIEWER)
    assert _as(client, viewer).get(f"/packets/{case.pk}/case/").status_code == 200
    assert client.get(f"/packets/{case.pk}/case/filing/").status_code == 404
    assert client.post(f"/packets/{case.pk}/case/log/new/", {"summary": "x"}).status_code == 404
    assert _as(client, make_user("stranger")).get(f"/packets/{case.pk}/case/").status_code == 404


def test_an_unfiled_packet_has_no_case_and_documents_stay_in_their_packet(
    client: Client, owner: Any, case: Any
) -> None:
    draft = make_packet(owner, name="Not filed")
    assert _as(client, owner).get(f"/packets/{draft.pk}/case/").status_code == 404
    other = make_filed_case(make_user("other"), name="Other case")
    document = CaseDocument.objects.create(
        packet=other,
        kind="attachment",
        title="Theirs",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        page_count=1,
        sha256="0" * 64,
        file="case/x",
    )
    assert client.get(f"/packets/{case.pk}/case/documents/{document.pk}/download/").status_code == 404


def test_deleting_a_filed_packet_warns_that_the_case_goes_and_leaves_none_of_its_files(
    client: Client, owner: Any, case: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = case_document_add(
        packet=case,
        upload=CaseUpload(
            file=upload("notice.pdf", pdf_bytes(1, text="Receipt notice"), "application/pdf"),
            kind=CaseDocumentKind.RECEIPT_NOTICE,
            title="Receipt notice",
        ),
        by=owner,
    )
    render = CaseRender(packet=case, kind=CaseRenderKind.REPORT, sha256="0" * 64, page_count=1, size=10)
    render.pdf.save("report.pdf", ContentFile(pdf_bytes(1)), save=True)
    storage, names = document.file.storage, [document.file.name, render.pdf.name]
    assert all(storage.exists(name) for name in names)

    page = _as(client, owner).get(f"/packets/{case.pk}/delete/").content.decode()
    assert "This packet was filed: its case goes too" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/packets/{case.pk}/delete/", {"confirm_name": case.name})
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert not any(storage.exists(name) for name in names)  # no notice or case PDF outlives its packet
