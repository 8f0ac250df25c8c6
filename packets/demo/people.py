"""The Riverton demo case's people and partners (all invented), and the shape of one of its evidence files."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from packets.content.services import ExhibitUpload
from packets.demo.documents import Letterhead
from packets.demo.passport import PassportFields
from packets.models import ExhibitKind

BENEFICIARY = "Lucía Fernández Ortega"
DR_BENEFICIARY = f"Dr. {BENEFICIARY}"
PROJECT_TITLE = "Safe Schools Seismic Assessment — Riverton Unified School District"
ROLE = (
    "lead technical advisor for the rapid seismic triage and detailed assessment of the district's 14 "
    "unreinforced-masonry school buildings, and lead trainer of a 12-person local inspection team"
)

# Whom the letters are addressed to.
TO_USCIS = ("U.S. Citizenship and Immigration Services", "Humanitarian Affairs Branch")

# Stable ids, so every seeded demo packet names its partners the same way (readable in exports and tests).
_NAMESPACE = uuid.UUID("6f1d7c1e-2b0a-4a53-9a39-5a8f0d1e7c42")


@dataclass(frozen=True)
class DemoPartner:
    key: str
    name: str
    kind: str
    role: str
    contact_name: str
    contact_title: str
    contact_email: str
    contact_phone: str
    letter_date: date
    address: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, self.key)

    @property
    def letter_key(self) -> str:
        return f"letter-{self.key}"

    @property
    def letterhead(self) -> Letterhead:
        return Letterhead(self.name, (self.address, self.contact_phone, self.contact_email))


PARTNERS: tuple[DemoPartner, ...] = (
    DemoPartner(
        "oem", "Riverton Office of Emergency Management", "government_agency",
        "Lead organisation: coordinates the project, supervises Dr. Fernández Ortega daily, provides a vehicle and "
        "driver for site visits, and reports to the state and the school board.",
        "Marcus Bell", "Deputy Director", "mbell@riverton.example.gov", "+1 503 555 0142", date(2026, 11, 16),
        "410 Civic Plaza, Riverton, OR 97000",
    ),
    DemoPartner(
        "district", "Riverton Unified School District", "public_body",
        "Owner of the 14 school buildings: grants building access, sets the inspection schedule around classes, "
        "and assigns facilities staff to the inspection team.",
        "Dr. Alicia Moreno", "Superintendent", "amoreno@rusd.example.org", "+1 503 555 0170", date(2026, 11, 9),
        "1200 Schoolhouse Road, Riverton, OR 97000",
    ),
    DemoPartner(
        "fire", "Riverton Fire & Rescue", "public_safety",
        "Provides a safety escort on every site visit, runs the aftershock protocol, and makes the occupancy "
        "decisions that follow each building's triage.",
        "Daniel Okafor", "Fire Chief", "dokafor@riverton.example.gov", "+1 503 555 0188", date(2026, 11, 12),
        "75 Station Street, Riverton, OR 97000",
    ),
    DemoPartner(
        "cssa", "Cascadia Structural Safety Alliance", "ngo",
        "Pays the stipend (USD 6,000 a month), furnished housing and travel health insurance, and files a "
        "declaration of financial support.",
        "Hannah Lee", "Executive Director", "hlee@cssa.example.org", "+1 503 555 0123", date(2026, 10, 28),
        "220 Alder Street, Suite 4, Portland, OR 97204",
    ),
    DemoPartner(
        "oit", "Oregon Institute of Technology, Department of Civil Engineering", "university",
        "Supplies the trainees alongside district staff, tests masonry samples in its laboratory, and keeps the "
        "anonymised assessment data for teaching and research.",
        "Prof. Samuel Ito", "Professor of Civil Engineering", "samuel.ito@oit.example.edu", "+1 541 555 0199",
        date(2026, 11, 4), "3201 Campus Drive, Klamath Falls, OR 97601",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoExhibit:
    """One evidence file of the demo case, with the metadata the exhibit index shows."""

    key: str
    kind: ExhibitKind
    title: str
    issuer: str
    issued_on: date | None
    filename: str
    content: bytes

    @property
    def content_type(self) -> str:
        return "image/jpeg" if self.filename.endswith(".jpg") else "application/pdf"

    def uploaded_file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.filename, self.content, content_type=self.content_type)

    def upload(self, target: tuple[str | int, ...] = ()) -> ExhibitUpload:
        return ExhibitUpload(
            file=self.uploaded_file(),
            kind=self.kind,
            title=self.title,
            issuer=self.issuer,
            issued_on=self.issued_on,
            target=target,
        )


PASSPORT = PassportFields(
    country="REPÚBLICA DE CHILE",
    country_code="CHL",
    surnames="FERNÁNDEZ ORTEGA",
    given_names="LUCÍA",
    nationality="CHILENA / CHILEAN",
    date_of_birth=date(1984, 3, 9),
    place_of_birth="VALPARAÍSO",
    sex="F",
    number="P12345678",
    issued_on=date(2022, 5, 2),
    expires_on=date(2032, 5, 1),
    authority="SERVICIO DE REGISTRO CIVIL",
)
