"""Diffs between two versions: prose word by word (escaped), lists added/removed/reordered, exhibits."""

import uuid
from typing import Any

from packets.content.diffs import packet_diff, word_diff, words_html
from packets.content.schema import PacketData


def _data(**sections: dict[str, Any]) -> dict[str, Any]:
    return PacketData.model_validate(sections).model_dump(mode="json")


def _partner(name: str, **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)), "name": name, **extra}


def test_prose_gets_a_word_level_diff() -> None:
    before = _data(project={"summary": "We assess twelve school buildings in Riverton."})
    after = _data(project={"summary": "We assess fourteen school buildings in Riverton county."})
    (section,) = packet_diff(before, after).sections
    (change,) = section.fields
    assert change.name == "summary"
    assert change.words == [
        ("equal", "We assess "),
        ("delete", "twelve"),
        ("insert", "fourteen"),
        ("equal", " school buildings in "),
        ("delete", "Riverton."),
        ("insert", "Riverton county."),
    ]
    assert str(change.html) == (
        "We assess <del>twelve</del><ins>fourteen</ins> school buildings in "
        "<del>Riverton.</del><ins>Riverton county.</ins>"
    )


def test_user_text_in_a_diff_is_escaped() -> None:
    html = str(words_html(word_diff("a <b>", 'a <script>alert("x")</script>')))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;" in html


def test_other_fields_show_before_and_after() -> None:
    before = _data(timeline={"arrival_date": "2027-03-01", "departure_date": "2027-09-01"})
    after = _data(timeline={"arrival_date": "2027-03-01", "departure_date": "2027-08-15"})
    (section,) = packet_diff(before, after).sections
    (change,) = section.fields
    assert (change.name, change.before, change.after, change.words) == (
        "departure_date",
        "2027-09-01",
        "2027-08-15",
        None,
    )


def test_partners_added_removed_changed_and_reordered_are_matched_by_id() -> None:
    fire, schools, red_cross = _partner("Fire Department"), _partner("Schools"), _partner("Red Cross")
    before = _data(partners={"items": [fire, schools, red_cross]})
    renamed = {**fire, "contact_name": "Dana Ruiz"}
    newcomer = _partner("University")
    after = _data(partners={"items": [red_cross, renamed, newcomer]})
    (section,) = packet_diff(before, after).sections
    (partners,) = section.lists
    assert partners.added == ["University"]
    assert partners.removed == ["Schools"]
    assert partners.moved == ["Red Cross"]
    (changed,) = partners.changed
    assert changed.label == "Fire Department"
    assert [(f.name, f.before, f.after) for f in changed.fields] == [("contact_name", "—", "Dana Ruiz")]


def test_milestones_added_removed_and_reordered() -> None:
    one = {"due_on": "2027-03-10", "description": "Survey", "outcome": "List"}
    two = {"due_on": "2027-04-10", "description": "Train", "outcome": "Teams"}
    three = {"due_on": "2027-05-10", "description": "Report", "outcome": "Report"}
    dates = {"arrival_date": "2027-03-01", "departure_date": "2027-09-01"}
    before = _data(timeline={**dates, "milestones": [one, two]})
    after = _data(timeline={**dates, "milestones": [two, one, three]})
    (section,) = packet_diff(before, after).sections
    (milestones,) = section.lists
    assert milestones.added == ["Report"]
    assert milestones.removed == []
    assert len(milestones.moved) == 1
    removed = packet_diff(after, _data(timeline={**dates, "milestones": [two, three]})).sections[0].lists[0]
    assert removed.removed == ["Survey"] and removed.added == [] and removed.moved == []


def test_exhibits_added_removed_replaced_and_retitled() -> None:
    a = {"id": "a", "label": "A", "title": "Passport", "sha256": "1"}
    b = {"id": "b", "label": "B", "title": "CV", "sha256": "2"}
    c = {"id": "c", "label": "C", "title": "Letter", "sha256": "3"}
    d = {"id": "d", "label": "D", "title": "Budget", "sha256": "4"}
    after = [
        {**a, "sha256": "1b"},  # same id, new file
        {**b, "title": "Curriculum vitae"},  # same file, new title
        {"id": "c2", "label": "C", "title": "Letter", "sha256": "3b"},  # same title, new file
        {"id": "e", "label": "E", "title": "Photos", "sha256": "5"},
    ]
    changes = packet_diff({}, {}, [a, b, c, d], after).exhibits
    assert sorted((change.kind, (change.after or change.before)["title"]) for change in changes) == [
        ("added", "Photos"),
        ("removed", "Budget"),
        ("replaced", "Letter"),
        ("replaced", "Passport"),
        ("retitled", "Curriculum vitae"),
    ]


def test_identical_versions_have_no_diff() -> None:
    data = _data(project={"summary": "Same."})
    assert packet_diff(data, data, [], []).empty
