"""Every evidence file of the Riverton demo case, drawn once per process (letters, CV, certificates, plans, passport).

Everything here is invented: people, organisations, numbers, e-mail domains. The files are drawn by
``packets.demo.documents`` each time they are needed; nothing binary is committed.
"""

import functools
from datetime import date

from packets.demo.credentials import certificates, cv_pdf
from packets.demo.letters import support_letter_pdf
from packets.demo.other_evidence import other_evidence
from packets.demo.passport import passport_page_jpeg
from packets.demo.people import (
    BENEFICIARY,
    PARTNERS,
    PASSPORT,
    DemoExhibit,
)
from packets.models import ExhibitKind


def demo_exhibits() -> list[DemoExhibit]:
    """Every evidence file of the demo case, in the order a reviewer reads them."""
    return list(_drawn_exhibits())


@functools.cache
def _drawn_exhibits() -> tuple[DemoExhibit, ...]:
    # Drawing takes about a second and always gives the same bytes: once per process is enough.
    passport = DemoExhibit(
        "passport", ExhibitKind.PASSPORT, f"Passport biographic page, {BENEFICIARY}", "Chile", date(2022, 5, 2),
        "passport-biographic-page.jpg", passport_page_jpeg(PASSPORT, specimen_note="SPECIMEN — FICTIONAL DEMO DATA"),
    )  # fmt: skip
    cv = DemoExhibit(
        "cv", ExhibitKind.CV, f"Curriculum vitae, {BENEFICIARY}", BENEFICIARY, date(2026, 11, 2),
        "cv-fernandez-ortega.pdf", cv_pdf(),
    )  # fmt: skip
    letters = [
        DemoExhibit(
            partner.letter_key, ExhibitKind.SUPPORT_LETTER, f"Letter of support, {partner.name}", partner.name,
            partner.letter_date, f"letter-{partner.key}.pdf", support_letter_pdf(partner),
        )
        for partner in PARTNERS
    ]  # fmt: skip
    return (passport, cv, *certificates(), *letters, *other_evidence())
