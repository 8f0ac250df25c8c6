"""The packet services: saving sections without losing a word, and exhibits that never outlive their place."""

import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from pydantic import ValidationError

from packets.content.services import (
    ExhibitUpload,
    StaleEdit,
    exhibit_add,
    exhibit_move,
    exhibit_remove,
    exhibit_update,
    packet_create,
    packet_delete,
    packet_rename,
    packet_save_section,
)
from packets.evidence.labels import exhibit_label
from packets.evidence.uploads import UploadRejected
from packets.models import Exhibit, ExhibitKind, Membership, Packet, PacketChange, PacketStatus, Role
from tests.builders import jpeg_bytes, make_packet, make_user, pdf_bytes, upload


def _files_in_media() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _pdf(name: str = "file.pdf", pages: int = 1) -> Any:
    return upload(name, pdf_bytes(pages=pages, text=name))


def _save(packet: Packet, section: str, value: dict[str, Any], user: Any, **kwargs: Any) -> Packet:
    return packet_save_section(
        packet=packet,
        section=section,
        value=value,
        base_revision=kwargs.pop("base", packet.revision),
        by=user,
        **kwargs,
    )


# ── Create, rename ──────────────────────────────────────────────────────────────────────────────────────────────


def test_a_new_packet_is_empty_and_owned_by_its_creator(user: Any) -> None:
    packet = packet_create(owner=user, name="  Riverton  ")

    assert packet.name == "Riverton"
    assert packet.revision == 0
    assert packet.content.beneficiary.full_name == ""
    assert Membership.objects.get(packet=packet, user=user).role == Role.OWNER


def test_a_packet_without_a_name_is_called_untitled(user: Any) -> None:
    assert packet_create(owner=user, name="   ").name == "Untitled packet"


def test_renaming_records_who_renamed(user: Any, other_user: Any) -> None:
    packet = make_packet(user)

    packet_rename(packet=packet, name=" Salem ", by=other_user)

    packet.refresh_from_db()
    assert packet.name == "Salem"
    assert packet.updated_by == other_user


# ── Saving sections ─────────────────────────────────────────────────────────────────────────────────────────────


def test_saving_a_section_stores_it_and_records_the_change(user: Any) -> None:
    packet = make_packet(user)

    packet = _save(packet, "beneficiary", {"full_name": " Lucía "}, user)

    assert packet.data["beneficiary"]["full_name"] == "Lucía"  # stored normalised
    assert packet.revision == 1
    assert packet.section_revisions == {"beneficiary": 1}
    change = PacketChange.objects.get(packet=packet, section="beneficiary")
    assert (change.section, change.revision, change.user) == ("beneficiary", 1, user)
    assert packet.updated_by == user


def test_a_save_sends_the_models_signals_so_a_receiver_added_later_sees_every_change(user: Any) -> None:
    # A step save goes through the ORM: a receiver on PacketChange (a notification, a search index) needs no hook.
    packet = make_packet(user)
    received: list[tuple[str, Any, bool]] = []

    def on_saved(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        received.append((sender.__name__, getattr(instance, "section", kwargs.get("update_fields")), created))

    post_save.connect(on_saved, sender=PacketChange, dispatch_uid="test_change_saved")
    post_save.connect(on_saved, sender=Packet, dispatch_uid="test_packet_saved")
    try:
        _save(packet, "beneficiary", {"full_name": "Lucía"}, user)
    finally:
        post_save.disconnect(sender=PacketChange, dispatch_uid="test_change_saved")
        post_save.disconnect(sender=Packet, dispatch_uid="test_packet_saved")

    assert received == [
        ("Packet", frozenset({"data", "revision", "section_revisions", "updated_by", "updated_at"}), False),
        ("PacketChange", "beneficiary", True),
    ]


def test_after_a_save_the_packets_content_is_the_saved_content(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    assert packet.content.beneficiary.full_name == "Lucía"

    packet = _save(packet, "beneficiary", {"full_name": "Lucía Fernández"}, user)

    assert packet.content.beneficiary.full_name == "Lucía Fernández"
    packet.data = {**packet.data, "project": {"title": "Safe Schools"}}  # a new value, as the services assign it
    assert packet.content.project.title == "Safe Schools"
    assert packet.content.beneficiary.full_name == "Lucía Fernández"


def test_saving_the_same_answers_again_makes_no_new_revision(user: Any) -> None:
    packet = make_packet(user, project={"title": "Safe Schools"})

    packet = _save(packet, "project", {"title": "Safe Schools"}, user)

    assert packet.revision == 1
    assert PacketChange.objects.filter(packet=packet, section="project").count() == 1


def test_saving_one_section_leaves_every_other_section_alone(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"}, project={"title": "Safe Schools"})
    before = dict(packet.data)

    packet = _save(packet, "exit", {"exit_strategy": "Return ticket."}, user)

    assert {k: v for k, v in packet.data.items() if k != "exit"} == {k: v for k, v in before.items() if k != "exit"}


def test_a_stale_save_of_a_section_changed_since_is_refused_and_changes_nothing(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    loaded_at = packet.revision
    packet = _save(packet, "beneficiary", {"full_name": "Lucía F."}, user)

    with pytest.raises(StaleEdit) as conflict:
        _save(packet, "beneficiary", {"full_name": "Lucy"}, user, base=loaded_at)

    assert conflict.value.saved["full_name"] == "Lucía F."
    packet.refresh_from_db()
    assert packet.data["beneficiary"]["full_name"] == "Lucía F."
    assert packet.revision == 2


def test_a_stale_save_is_accepted_when_only_other_sections_changed_since(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    loaded_at = packet.revision
    packet = _save(packet, "project", {"title": "Safe Schools"}, user)

    packet = _save(packet, "beneficiary", {"full_name": "Lucía F."}, user, base=loaded_at)

    assert packet.data["beneficiary"]["full_name"] == "Lucía F."
    assert packet.data["project"]["title"] == "Safe Schools"


def test_a_save_from_a_copy_read_before_someone_elses_save_keeps_both(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    read_earlier = Packet.objects.get(pk=packet.pk)  # a second tab, or a request that read just before
    _save(Packet.objects.get(pk=packet.pk), "project", {"title": "Safe Schools"}, user)

    saved = _save(read_earlier, "beneficiary", {"full_name": "Lucía F."}, user, base=read_earlier.revision)

    stored = Packet.objects.get(pk=packet.pk)
    assert stored.data["project"]["title"] == "Safe Schools"
    assert stored.data["beneficiary"]["full_name"] == "Lucía F."
    assert stored.revision == saved.revision == packet.revision + 2
    assert saved.data == stored.data  # the caller's object is the stored row, not its old copy
    assert list(stored.changes.order_by("revision").values_list("section", flat=True))[-2:] == [
        "project",
        "beneficiary",
    ]


def test_a_save_from_a_copy_read_before_approval_still_withdraws_the_approval(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    read_earlier = Packet.objects.get(pk=packet.pk)
    Packet.objects.filter(pk=packet.pk).update(status=PacketStatus.APPROVED, approved_revision=packet.revision)

    _save(read_earlier, "beneficiary", {"full_name": "Lucía F."}, user, base=read_earlier.revision)

    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.CHANGED_SINCE_APPROVAL


def test_a_save_from_a_copy_read_before_an_exhibit_changed_records_the_exhibit_list_as_it_is(user: Any) -> None:
    # The change row keeps the exhibit list of its revision, which counsel's "what changed" compares. A save reads
    # that list apart from its UPDATE, so an exhibit added after the packet was read must still be in it.
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    read_earlier = Packet.objects.get(pk=packet.pk)
    exhibit_add(packet=packet, upload=ExhibitUpload(file=_pdf("plan.pdf"), kind="plan", title="Site plan"), by=user)

    saved = _save(read_earlier, "beneficiary", {"full_name": "Lucía F."}, user, base=read_earlier.revision)

    change = PacketChange.objects.get(packet=packet, revision=saved.revision)
    assert (change.section, change.user) == ("beneficiary", user)
    assert [(item["label"], item["title"]) for item in change.exhibits] == [("A", "Site plan")]
    assert change.snapshot["beneficiary"]["full_name"] == "Lucía F."
    assert Packet.objects.get(pk=packet.pk).revision == saved.revision == packet.revision + 2


def test_a_save_that_loses_its_race_writes_neither_its_change_nor_its_row(user: Any) -> None:
    # Two requests read the same revision and save the same section with different answers: the second finds the
    # section changed since it was read and is refused as stale, leaving no change row or revision of its own.
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})
    first, second = Packet.objects.get(pk=packet.pk), Packet.objects.get(pk=packet.pk)
    _save(first, "beneficiary", {"full_name": "Lucía F."}, user, base=packet.revision)
    changes = PacketChange.objects.filter(packet=packet).count()

    with pytest.raises(StaleEdit):
        _save(second, "beneficiary", {"full_name": "Lucia Fernandez"}, user, base=packet.revision)

    stored = Packet.objects.get(pk=packet.pk)
    assert stored.data["beneficiary"]["full_name"] == "Lucía F."
    assert stored.revision == packet.revision + 1
    assert PacketChange.objects.filter(packet=packet).count() == changes


def test_a_stale_save_with_the_answers_already_saved_is_not_a_conflict(user: Any) -> None:
    packet = make_packet(user, beneficiary={"full_name": "Lucía"})

    packet = _save(packet, "beneficiary", {"full_name": "Lucía"}, user, base=0)

    assert packet.revision == 1


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ("beneficiary", {"email": "lucia"}),
        ("beneficiary", {"unknown_field": "x"}),
        ("timeline", {"arrival_date": "2027-04-30", "departure_date": "2027-01-04"}),
        ("beneficiary", {"full_name": "x" * 201}),
    ],
)
def test_a_malformed_section_is_refused_and_changes_nothing(section: str, value: dict[str, Any], user: Any) -> None:
    packet = make_packet(user)

    with pytest.raises(ValidationError):
        _save(packet, section, value, user)

    packet.refresh_from_db()
    assert packet.revision == 0


def test_a_save_that_contradicts_another_section_is_refused(user: Any) -> None:
    packet = make_packet(user, timeline={"arrival_date": "2027-01-04", "departure_date": "2027-04-30"})

    with pytest.raises(ValidationError, match="The passport expires on 2027-03-01"):
        _save(packet, "beneficiary", {"passport_expires_on": "2027-03-01"}, user)


# ── Files stored with a section ─────────────────────────────────────────────────────────────────────────────────


def test_a_file_saved_with_a_section_is_pointed_at_by_its_place(user: Any) -> None:
    packet = make_packet(user)
    passport = ExhibitUpload(
        file=_pdf("passport.pdf"), kind=ExhibitKind.PASSPORT, title="Passport", target=("passport_exhibit_id",)
    )

    packet = _save(packet, "beneficiary", {"full_name": "Lucía"}, user, uploads=[passport])

    exhibit = Exhibit.objects.get(packet=packet)
    assert packet.data["beneficiary"]["passport_exhibit_id"] == str(exhibit.pk)
    assert exhibit.uploaded_by == user


def test_files_of_a_refused_save_are_removed(user: Any) -> None:
    packet = make_packet(user)
    passport = ExhibitUpload(
        file=_pdf("p.pdf"), kind=ExhibitKind.PASSPORT, title="Passport", target=("passport_exhibit_id",)
    )

    with pytest.raises(ValidationError):
        _save(packet, "beneficiary", {"email": "not-an-email"}, user, uploads=[passport])

    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_files_of_a_stale_save_are_removed(user: Any) -> None:
    packet = make_packet(user, qualifications={"skills": "A"})
    packet = _save(packet, "qualifications", {"skills": "B"}, user)
    cv = ExhibitUpload(file=_pdf("cv.pdf"), kind=ExhibitKind.CV, title="CV", target=("cv_exhibit_id",))

    with pytest.raises(StaleEdit):
        _save(packet, "qualifications", {"skills": "C"}, user, base=1, uploads=[cv])

    assert not Exhibit.objects.exists()
    assert _files_in_media() == []


def test_a_slot_file_that_is_replaced_is_deleted_but_other_exhibits_stay(
    user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user)
    certificate = exhibit_add(
        packet=packet, upload=ExhibitUpload(file=_pdf("pe.pdf"), kind=ExhibitKind.CERTIFICATE, title="PE"), by=user
    )
    first = ExhibitUpload(file=_pdf("cv1.pdf"), kind=ExhibitKind.CV, title="CV", target=("cv_exhibit_id",))
    packet = _save(packet, "qualifications", {"skills": "A"}, user, uploads=[first])
    old_cv = Exhibit.objects.get(kind=ExhibitKind.CV)
    second = ExhibitUpload(file=_pdf("cv2.pdf", pages=2), kind=ExhibitKind.CV, title="CV", target=("cv_exhibit_id",))

    with django_capture_on_commit_callbacks(execute=True):
        packet = _save(packet, "qualifications", {"skills": "A"}, user, uploads=[second])

    assert not Exhibit.objects.filter(pk=old_cv.pk).exists()
    assert not (Path(settings.MEDIA_ROOT) / old_cv.file.name).exists()
    assert Exhibit.objects.filter(pk=certificate.pk).exists()
    assert Exhibit.objects.get(kind=ExhibitKind.CV).page_count == 2


def test_a_certificate_is_stored_with_the_section_without_a_place(user: Any) -> None:
    packet = make_packet(user)
    certificate = ExhibitUpload(file=_pdf("pe.pdf"), kind=ExhibitKind.CERTIFICATE, title="PE licence, Chile")

    packet = _save(packet, "qualifications", {"skills": "A"}, user, uploads=[certificate])

    assert Exhibit.objects.get(packet=packet).title == "PE licence, Chile"
    assert packet.data["qualifications"]["cv_exhibit_id"] is None


# ── Exhibits ────────────────────────────────────────────────────────────────────────────────────────────────────


def test_exhibit_labels_run_from_a_to_z_then_aa() -> None:
    assert [exhibit_label(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_exhibits_are_added_at_the_end_and_can_be_moved(user: Any) -> None:
    packet = make_packet(user)
    first, second, third = (
        exhibit_add(packet=packet, upload=ExhibitUpload(file=_pdf(f"{n}.pdf"), kind="plan", title=n), by=user)
        for n in ("one", "two", "three")
    )
    assert [e.title for e in Exhibit.objects.filter(packet=packet)] == ["one", "two", "three"]

    exhibit_move(exhibit=third, offset=-1)
    assert [e.title for e in Exhibit.objects.filter(packet=packet)] == ["one", "three", "two"]
    exhibit_move(exhibit=first, offset=-1)  # already first: nothing moves
    assert [e.title for e in Exhibit.objects.filter(packet=packet)] == ["one", "three", "two"]
    exhibit_move(exhibit=first, offset=1)
    assert [e.title for e in Exhibit.objects.filter(packet=packet)] == ["three", "one", "two"]
    assert second.pk in {e.pk for e in Exhibit.objects.filter(packet=packet)}


def test_an_added_exhibit_is_refused_when_the_packet_budget_is_spent(user: Any, settings: Any) -> None:
    packet = make_packet(user)
    settings.PACKET_MAX_BYTES = len(jpeg_bytes()) + 10
    exhibit_add(
        packet=packet, upload=ExhibitUpload(file=upload("a.jpg", jpeg_bytes()), kind="plan", title="A"), by=user
    )

    with pytest.raises(UploadRejected, match="would exceed"):
        exhibit_add(packet=packet, upload=ExhibitUpload(file=_pdf("b.pdf"), kind="plan", title="B"), by=user)

    assert Exhibit.objects.filter(packet=packet).count() == 1
    assert len(_files_in_media()) == 1


def test_editing_exhibit_details_keeps_the_file(user: Any) -> None:
    packet = make_packet(user)
    exhibit = exhibit_add(packet=packet, upload=ExhibitUpload(file=_pdf(), kind="plan", title="Plan"), by=user)
    name = exhibit.file.name

    exhibit_update(
        exhibit=exhibit, title="Site safety plan", issuer="Riverton F&R", issued_on=None, kind="plan", by=user
    )

    exhibit.refresh_from_db()
    assert (exhibit.title, exhibit.issuer, exhibit.file.name) == ("Site safety plan", "Riverton F&R", name)


def test_removing_an_exhibit_empties_the_place_that_pointed_at_it(
    user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    packet = make_packet(user)
    passport = ExhibitUpload(
        file=_pdf("p.pdf"), kind=ExhibitKind.PASSPORT, title="Passport", target=("passport_exhibit_id",)
    )
    packet = _save(packet, "beneficiary", {"full_name": "Lucía"}, user, uploads=[passport])
    exhibit = Exhibit.objects.get()
    revision = packet.revision

    with django_capture_on_commit_callbacks(execute=True):
        exhibit_remove(exhibit=exhibit, by=user)

    packet.refresh_from_db()
    assert packet.data["beneficiary"]["passport_exhibit_id"] is None
    assert packet.data["beneficiary"]["full_name"] == "Lucía"
    assert packet.revision == revision + 1
    # Not a change anyone editing the step must reconcile: the step's form never carries exhibit ids.
    assert packet.section_revisions["beneficiary"] == revision
    assert _files_in_media() == []


def test_deleting_a_packet_removes_its_files_but_not_other_packets_files(
    user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mine, other = make_packet(user, name="Mine"), make_packet(make_user("ben"), name="Other")
    exhibit_add(packet=mine, upload=ExhibitUpload(file=_pdf("m.pdf"), kind="plan", title="M"), by=user)
    kept = exhibit_add(packet=other, upload=ExhibitUpload(file=_pdf("o.pdf"), kind="plan", title="O"), by=None)

    with django_capture_on_commit_callbacks(execute=True):
        packet_delete(packet=mine)

    assert not Packet.objects.filter(pk=mine.pk).exists()
    assert _files_in_media() == [Path(settings.MEDIA_ROOT) / kept.file.name]


# ── Two people saving at the same moment (PostgreSQL: real row locks) ───────────────────────────────────────────


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_different_sections_both_land() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    user = make_user("ana")
    packet = make_packet(user)
    sections = {
        "beneficiary": {"full_name": "Lucía"},
        "project": {"title": "Safe Schools"},
        "exit": {"exit_strategy": "Return ticket."},
        "risk": {"security": "Site safety plan."},
        "monitoring": {"reporting_channels": "Weekly."},
        "sustainability": {"affiliations": "None"},
    }
    start = threading.Barrier(len(sections))
    errors: list[BaseException] = []

    def save(section: str, value: dict[str, Any]) -> None:
        try:
            start.wait()
            packet_save_section(
                packet=Packet.objects.get(pk=packet.pk), section=section, value=value, base_revision=0, by=user
            )
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=item) for item in sections.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    packet.refresh_from_db()
    assert packet.revision == len(sections)
    for section, value in sections.items():
        for key, expected in value.items():
            assert packet.data[section][key] == expected, section
