"""An exhibit's caption says its title, issuer and date once each, however the title was composed."""

import pytest

from packets.content.captions import exhibit_caption, title_without_issuer


def test_a_title_that_already_names_the_issuer_does_not_repeat_it() -> None:
    caption = exhibit_caption("Letter of support, Riverton Fire & Rescue", "Riverton Fire & Rescue", "2026-11-02")
    assert caption == "Letter of support, Riverton Fire & Rescue, 2026-11-02"


def test_parts_are_compared_without_regard_to_case_accents_or_spacing() -> None:
    caption = exhibit_caption("Curriculum vitae, Lucía Fernández  Ortega", "LUCIA FERNANDEZ ORTEGA")
    assert caption == "Curriculum vitae, Lucía Fernández  Ortega"


def test_an_issuer_equal_to_the_title_is_said_once() -> None:
    assert exhibit_caption("Riverton Fire & Rescue", "riverton fire & rescue", "") == "Riverton Fire & Rescue"


def test_a_part_that_is_only_part_of_a_word_is_not_taken_for_a_repeat() -> None:
    assert exhibit_caption("Riverton plan", "River", "") == "Riverton plan, River"


@pytest.mark.parametrize(
    "title",
    ["Letter of support, Riverton Fire & Rescue", "Letter of support — Riverton Fire & Rescue",
     "Letter of support (Riverton Fire & Rescue)", "Letter of support from riverton fire & rescue"],
)  # fmt: skip
def test_a_table_with_an_issuer_column_shows_the_title_without_the_issuer(title: str) -> None:
    assert title_without_issuer(title, "Riverton Fire & Rescue") == "Letter of support"


def test_a_title_that_is_only_the_issuer_stays_as_it_is() -> None:
    assert title_without_issuer("Riverton Fire & Rescue", "Riverton Fire & Rescue") == "Riverton Fire & Rescue"
    assert title_without_issuer("Site safety plan", "") == "Site safety plan"
