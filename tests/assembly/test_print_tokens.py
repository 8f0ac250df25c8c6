"""Addresses, names, numbers and dates are never hyphenated in the printed packet, and stay escaped."""

import subprocess
from datetime import date

import pytest

from packets.assembly.html import PrintMeta, print_parts
from packets.assembly.render import layout
from packets.assembly.tokens import unhyphenated
from packets.demo.scenario import riverton_content
from tests.assembly.pdfread import tool

ADDRESS = "o.kovalchuk@riverton-emergency-management.example.gov"
URL = "https://www.riverton-emergency-management.example.gov/seismic/assessments"
META = PrintMeta(packet_name="Riverton", version_number=1, final=False, rendered_on=date(2026, 11, 27))


def test_addresses_names_numbers_and_dates_are_wrapped_and_everything_is_escaped() -> None:
    text = f'Write to {ADDRESS} <script>alert("x")</script> on November 2, 2026 about Ana & Co <b>'
    html = unhyphenated(text, ["Ana & Co <b>"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<span class="tok-name">Ana &amp; Co &lt;b&gt;</span>' in html
    assert '<span class="tok-fixed">November 2, 2026</span>' in html
    assert (
        '<span class="tok-address"><span>o.kovalchuk@</span><wbr><span>riverton-emergency-management.</span><wbr>'
        "<span>example.</span><wbr><span>gov</span></span>"
    ) in html


def test_a_name_in_an_attribute_like_form_cannot_open_a_tag() -> None:
    html = unhyphenated('"><img src=x onerror=alert(1)>', ['"><img src=x onerror=alert(1)>'])
    assert "<img" not in html and "&lt;img" in html


HYPHENS = ("-", "\u2010", "\u00ad")  # what a line may end with: hyphen-minus, the hyphen WeasyPrint adds, soft hyphen


def _narrow_lines(prose: str) -> list[str]:
    """The lines of the project section with ``prose`` as its summary, laid out by WeasyPrint in a column 1.6 inches
    wide and read back as drawn (pdftotext -raw: line-end hyphens are kept, never joined away)."""
    content = riverton_content().model_copy(deep=True)
    content.project.summary = prose
    parts = print_parts(content, [], META)
    section = next(part for part in parts.sections if part.destination == "section-project")
    html = section.html.replace("<head>", "<head><style>.narrative { width: 1.6in; }</style>", 1)
    command = [tool("pdftotext"), "-raw", "-enc", "UTF-8", "-", "-"]
    result = subprocess.run(command, input=layout(html), capture_output=True, check=True)  # noqa: S603 - our own bytes
    return [line.strip() for line in result.stdout.decode("utf-8").splitlines()]


def test_an_address_in_justified_narrow_prose_breaks_only_without_a_hyphen() -> None:
    prose = (
        f"Reports go to {ADDRESS} every week, and the published findings to {URL} for the "
        "internationalisation of the methodology, after counterrevolutionary characterisations."
    )
    lines = _narrow_lines(prose)
    assert any(line.endswith("\u2010") for line in lines), "the control words should be hyphenated in this column"
    joined = "".join(lines)
    assert ADDRESS in joined and URL in joined  # whole once the lines are put back together: nothing added inside
    address_lines = [line for line in lines if line and (line in ADDRESS or line in URL)]
    assert len(address_lines) >= 2  # the column is narrow enough to break them
    assert not [line for line in address_lines if line.endswith(HYPHENS)]


@pytest.mark.parametrize("token", ["2026-11-02", "+1 503 555 0142", "November 2, 2026"])
def test_numbers_and_dates_never_break_across_lines(token: str) -> None:
    lines = _narrow_lines(f"The assessment of the buildings begins on {token} with an inspection of every one.")
    assert any(token in line for line in lines)


def test_a_name_from_the_packet_is_never_hyphenated() -> None:
    name = riverton_content().partners.items[0].name  # Riverton Office of Emergency Management
    lines = _narrow_lines(f"Supervision: the {name}, with the {name} again, each week of the stay.")
    assert any(line.endswith("\u2010") for line in _narrow_lines("Characterisations of internationalisation."))
    hyphenated = [line.split()[-1] for line in lines if line.endswith("\u2010")]
    assert not [word for word in hyphenated if word.rstrip("\u2010") in name]


def test_user_text_in_the_print_html_stays_escaped_inside_and_outside_the_spans() -> None:
    content = riverton_content().model_copy(deep=True)
    content.partners.items[0].name = "<script>alert(1)</script> Partner"
    content.project.summary = "See <img src=x onerror=alert(1)> and <script>alert(1)</script> Partner on 2026-11-02."
    parts = print_parts(content, [], META)
    html = "".join(part.html for part in parts.sections) + parts.letter.html + parts.cover.html
    assert "<script>" not in html and "<img" not in html
    assert '<span class="tok-name">&lt;script&gt;alert(1)&lt;/script&gt; Partner</span>' in html
