"""The Riverton demo case's people, partners and evidence files (letters, CV, certificates, plans, passport scan).

Everything here is invented: people, organisations, numbers, e-mail domains. The files are drawn by
``packets.demo_documents`` each time they are needed; nothing binary is committed.
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from packets.demo_documents import (
    Letterhead,
    PassportFields,
    Section,
    Signer,
    certificate_pdf,
    document_pdf,
    letter_pdf,
    passport_page_jpeg,
)
from packets.models import ExhibitKind
from packets.services import ExhibitUpload

BENEFICIARY = "Lucía Fernández Ortega"
DR_BENEFICIARY = f"Dr. {BENEFICIARY}"
PROJECT_TITLE = "Safe Schools Seismic Assessment — Riverton Unified School District"
ROLE = (
    "lead technical advisor for the rapid seismic triage and detailed assessment of the district's 14 "
    "unreinforced-masonry school buildings, and lead trainer of a 12-person local inspection team"
)

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


# ── Support letters ──────────────────────────────────────────────────────────────────────────────────────────────

_TO_USCIS = ("U.S. Citizenship and Immigration Services", "Humanitarian Affairs Branch")
_RE = f"Re: Request for parole for significant public benefit — {DR_BENEFICIARY}"

_PARTNER_PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "oem": (
        "The Riverton Office of Emergency Management (OEM) is the city agency that requests parole on Dr. "
        "Fernández Ortega's behalf and coordinates the project. The Cascadia earthquake swarm of 2026 damaged two "
        "of our elementary schools. Fourteen of the district's school buildings are unreinforced masonry, the "
        "building type most likely to fail in an aftershock, and 6,800 students and 900 staff use them every day.",
        "OEM will supervise Dr. Fernández Ortega daily through me, provide a vehicle and driver for every site "
        "visit, complete a fingerprint-based background check before she enters any school, and send weekly "
        "reports to the State and a monthly summary to the school board. Her stay ends on April 30, 2027; any "
        "work that remains will be carried on by the local team she trains.",
    ),
    "district": (
        "Riverton Unified School District owns and operates the 14 unreinforced-masonry buildings to be "
        "assessed. Winter term starts on January 11, 2027, and I must decide, building by building, which schools "
        "can safely reopen. State retrofit funding also requires assessment reports filed by March 31, 2027.",
        "The district will give the inspection team full access to every building, schedule inspections around "
        "classes, assign four facilities staff to the training programme, and host a community meeting at each "
        "school in English and Spanish. The district pays nothing to Dr. Fernández Ortega; building data remains "
        "the district's property under our data-sharing agreement with the project partners.",
    ),
    "fire": (
        "Riverton Fire & Rescue is responsible for occupancy decisions in damaged buildings. After the 2026 swarm "
        "our crews closed two schools on the basis of visual checks alone; we need an expert triage of every "
        "unreinforced-masonry school to make sound decisions before children return in January.",
        "Fire & Rescue will escort the team on every site visit, run the aftershock protocol set out in our site "
        "safety plan, and act on the triage results when deciding whether each building may be occupied.",
    ),
    "cssa": (
        "The Cascadia Structural Safety Alliance is a non-profit organisation that supports seismic safety "
        "programmes in Oregon and Washington. Our board has approved funding for the full stay of Dr. Fernández "
        "Ortega: a stipend of USD 6,000 a month, a furnished apartment in Riverton, travel health insurance and "
        "the return flight to Santiago on April 30, 2027.",
        "The Alliance will file a declaration of financial support, and I will file one in my own name as well. "
        "No public funds or public benefits will be needed for her stay.",
    ),
    "oit": (
        "The Department of Civil Engineering of the Oregon Institute of Technology will take part in the project "
        "through its students and laboratory. Eight of our graduate students and recent graduates will join four "
        "district facilities staff as the 12 trainees of the local inspection team.",
        "Our materials laboratory will test masonry and mortar samples from the priority buildings at no cost to "
        "the district, and the department will keep the anonymised assessment data for teaching and research "
        "under the project's data-sharing agreement.",
    ),
}


def support_letter_pdf(partner: DemoPartner) -> bytes:
    """A signed letter that confirms support, names Dr. Fernández Ortega's role and gives the partner's contact."""
    first, second = _PARTNER_PARAGRAPHS[partner.key]
    paragraphs = [
        f"On behalf of the {partner.name}, I write to confirm our full support for the project {PROJECT_TITLE}, "
        f"and for the request that {DR_BENEFICIARY} be paroled into the United States from January 4 to April 30, "
        "2027 to carry it out.",
        first,
        f"{DR_BENEFICIARY} will serve as {ROLE}. She led rapid post-earthquake evaluations in Chile after the 2010 "
        "and 2014 earthquakes, wrote her country's national guideline for retrofitting unreinforced-masonry "
        "buildings, and has trained more than 300 inspectors. She will advise and train; licensed Oregon engineers "
        "will sign every report.",
        second,
        f"Please contact me with any question about this letter or our part in the project: {partner.contact_name}, "
        f"{partner.contact_title}, {partner.name}, {partner.contact_email}, {partner.contact_phone}.",
    ]
    return letter_pdf(
        letterhead=partner.letterhead,
        dated=partner.letter_date,
        recipient=_TO_USCIS,
        subject=_RE,
        paragraphs=paragraphs,
        signer=Signer(
            partner.contact_name, partner.contact_title, f"{partner.contact_email} · {partner.contact_phone}"
        ),
    )


def weak_letter_pdf() -> bytes:
    """A letter that supports the project in general but never names the applicant, her role, or a contact person.

    Readiness rules should flag it as weak evidence.
    """
    return letter_pdf(
        letterhead=Letterhead("Riverton Neighbourhood Association", ("PO Box 118, Riverton, OR 97000",)),
        dated=date(2026, 11, 20),
        recipient=("To whom it may concern",),
        subject=f"Support for the {PROJECT_TITLE}",
        paragraphs=[
            f"The Riverton Neighbourhood Association supports the {PROJECT_TITLE}.",
            "Our members are parents, grandparents and neighbours of the children who attend Riverton's schools. "
            "Since the earthquakes of 2026 many families have asked whether the school buildings are safe. We "
            "welcome every effort to answer that question quickly and to make our schools safer.",
            "We hope the project can go ahead as planned.",
        ],
        signer=Signer("The Board of the Riverton Neighbourhood Association", "Board of Directors"),
    )


# ── CV and certificates ──────────────────────────────────────────────────────────────────────────────────────────


def cv_pdf() -> bytes:
    return document_pdf(
        title=f"{DR_BENEFICIARY}",
        subtitle=(
            "Structural engineer, D.Eng. · Avenida Libertad 1450, Viña del Mar, Chile · lucia.fernandez@example.org "
            "· +56 9 5555 0101 · Curriculum vitae, November 2026"
        ),
        author=BENEFICIARY,
        footer=f"Curriculum vitae — {DR_BENEFICIARY}",
        sections=[
            Section(
                "Profile",
                [
                    "Structural and earthquake engineer with 18 years of experience in post-earthquake rapid "
                    "evaluation, seismic assessment and retrofit of unreinforced-masonry (URM) buildings. Led field "
                    "evaluation teams after the 2010 Maule and 2014 Iquique earthquakes, wrote Chile's national URM "
                    "retrofit guideline, and has trained more than 300 building inspectors in Spanish and English."
                ],
            ),
            Section(
                "Professional experience",
                [
                    (
                        ("Years", "Position", "Responsibilities"),
                        (
                            "2015–present",
                            "Associate Professor (tenured), Department of Civil Works, Universidad Técnica "
                            "Federico Santa María, Valparaíso",
                            "Teaches structural dynamics and masonry design; directs the post-earthquake "
                            "evaluation training programme; supervises 14 graduate theses.",
                        ),
                        (
                            "2016–2019",
                            "Principal author, National URM Retrofit Guideline, Ministry of Housing and Urban "
                            "Planning (consultancy)",
                            "Wrote the assessment and retrofit procedures adopted nationally for URM schools, "
                            "clinics and housing.",
                        ),
                        (
                            "2010–2015",
                            "Senior structural engineer, Ingeniería Sísmica Pacífico Ltda., Santiago",
                            "Seismic assessment and retrofit design of 120+ public buildings, including 38 schools.",
                        ),
                        (
                            "2008–2010",
                            "Structural engineer, municipal building department, Valparaíso",
                            "Plan review and inspection of masonry and reinforced-concrete buildings.",
                        ),
                    )
                ],
            ),
            Section(
                "Post-earthquake field work",
                [
                    [
                        "2010 Maule earthquake (M8.8): led a 40-engineer rapid-evaluation team in the Maule region; "
                        "1,900 buildings triaged in six weeks; designed the tagging workflow later adopted by the "
                        "regional government.",
                        "2014 Iquique earthquake (M8.2): coordinated the evaluation of 62 schools and four hospitals; "
                        "all schools re-opened or relocated within 21 days.",
                        "2015 Illapel earthquake (M8.3): advisor to the regional emergency office on occupancy "
                        "decisions for public buildings.",
                    ]
                ],
            ),
            Section(
                "Training delivered",
                [
                    [
                        "Annual course in rapid post-earthquake safety evaluation for municipal inspectors, "
                        "2012–2026: more than 300 inspectors trained and certified.",
                        "Train-the-trainer workshops for the Chilean Association of Seismology, 2018–2025.",
                        "Bilingual short course on URM assessment for visiting engineers from Peru, Ecuador and "
                        "the United States, 2019 and 2023.",
                    ]
                ],
            ),
            Section(
                "Selected publications",
                [
                    [
                        "Fernández Ortega, L. et al. (2019). National Guideline for the Seismic Assessment and "
                        "Retrofit of Unreinforced-Masonry Buildings. Santiago.",
                        "Fernández Ortega, L., Rojas, P. (2017). Rapid evaluation of masonry schools after the 2014 "
                        "Iquique earthquake: lessons for tagging decisions. Journal of Earthquake Practice 12(3).",
                        "Fernández Ortega, L. (2019). Training inspectors at scale after great earthquakes. Keynote, "
                        "earthquake engineering conference, Seattle, Washington, October 2019.",
                    ]
                ],
            ),
            Section(
                "Education",
                [
                    [
                        "Doctor of Engineering Sciences (Structural Engineering), Universidad Técnica Federico "
                        "Santa María, 2012. Thesis: out-of-plane failure of unreinforced masonry walls.",
                        "Civil Engineer (Structures), Universidad Técnica Federico Santa María, 2008.",
                    ]
                ],
            ),
            Section(
                "Certifications, languages and memberships",
                [
                    [
                        "Certified Rapid Post-Earthquake Safety Evaluator and Instructor, Chilean Association of "
                        "Seismology, 2023 (renewed every three years since 2011).",
                        "Languages: Spanish (native), English (fluent; teaches and publishes in English).",
                        "Member, Chilean Association of Seismology.",
                    ]
                ],
            ),
        ],
    )


def certificates() -> list[DemoExhibit]:
    evaluator = certificate_pdf(
        issuer="Chilean Association of Seismology",
        title="Certified Rapid Post-Earthquake Safety Evaluator and Instructor",
        recipient=DR_BENEFICIARY,
        statement=(
            "having completed the evaluator and instructor programme in rapid post-earthquake safety evaluation of "
            "buildings, including the assessment of unreinforced-masonry structures, and having demonstrated the "
            "competence to train and certify building inspectors. Valid until June 15, 2029."
        ),
        dated=date(2023, 6, 15),
        number="CAS-EV-2023-0412",
        signer=Signer("Ing. Carolina Vidal", "President, Certification Board"),
    )
    doctorate = certificate_pdf(
        issuer="Universidad Técnica Federico Santa María",
        title="Doctor of Engineering Sciences (Structural Engineering)",
        recipient=BENEFICIARY,
        statement=(
            "having fulfilled all requirements of the doctoral programme and defended the thesis "
            "“Out-of-plane failure of unreinforced masonry walls under seismic loading” before the examining "
            "committee, with highest distinction."
        ),
        dated=date(2012, 8, 24),
        number="USM-DR-2012-087",
        signer=Signer("Dr. Andrés Molina", "Dean of Graduate Studies"),
    )
    return [
        DemoExhibit(
            "certificate-evaluator", ExhibitKind.CERTIFICATE,
            "Certificate: Rapid Post-Earthquake Safety Evaluator and Instructor", "Chilean Association of Seismology",
            date(2023, 6, 15), "certificate-evaluator.pdf", evaluator,
        ),
        DemoExhibit(
            "certificate-doctorate", ExhibitKind.CERTIFICATE,
            "Diploma: Doctor of Engineering Sciences (Structural Engineering)",
            "Universidad Técnica Federico Santa María", date(2012, 8, 24), "diploma-doctorate.pdf", doctorate,
        ),
    ]  # fmt: skip


# ── Other evidence ───────────────────────────────────────────────────────────────────────────────────────────────


def _firm_statements_pdf() -> bytes:
    def statement(firm: str, signer: str, when: str) -> Section:
        return Section(
            firm,
            [
                f"Statement dated {when}, signed by {signer}.",
                "Riverton Office of Emergency Management asked whether our firm could provide, from January to "
                "March 2027, an engineer experienced in rapid post-earthquake evaluation of unreinforced-masonry "
                "buildings who can also train and certify local inspectors. We have no such engineer available "
                "before the second half of 2027; our staff with URM experience are committed to post-swarm "
                "assessments for other public clients. We know of no Oregon firm that can offer one sooner.",
            ],
        )

    return document_pdf(
        title="Statements on the availability of URM rapid-assessment engineers",
        subtitle="Two Oregon structural engineering firms, November 2026",
        author="Riverton Office of Emergency Management",
        sections=[
            statement("Willamette Structural Engineers, Salem, Oregon", "Grace Whitfield, P.E., S.E., Principal",
                      "November 17, 2026"),
            statement("Columbia Ridge Engineering, Portland, Oregon", "Tomás Herrera, P.E., Managing Engineer",
                      "November 18, 2026"),
        ],
    )  # fmt: skip


def _financial_pdf() -> bytes:
    cssa = PARTNERS[3]
    return document_pdf(
        title="Financial support for the stay of Dr. Lucía Fernández Ortega",
        subtitle="Board resolution, budget and statement of funds — November 20, 2026",
        author=cssa.name,
        letterhead=cssa.letterhead,
        sections=[
            Section(
                "Board resolution",
                [
                    "On October 26, 2026 the Board of Directors of the Cascadia Structural Safety Alliance resolved "
                    f"to fund the stay of {DR_BENEFICIARY} for the project {PROJECT_TITLE}, from January 4 to April "
                    "30, 2027, and authorised the Executive Director, Hannah Lee, to file a declaration of financial "
                    "support (Form I-134) on the Alliance's behalf.",
                ],
            ),
            Section(
                "Budget",
                [
                    (
                        ("Item", "Basis", "Amount (USD)"),
                        ("Stipend", "USD 6,000 a month, January 4 – April 30, 2027", "23,400"),
                        ("Furnished apartment, Riverton", "USD 1,950 a month, utilities included", "7,800"),
                        ("Travel health insurance", "Full stay, USD 250,000 cover", "1,150"),
                        ("Return airfare", "Santiago – Portland – Santiago", "1,600"),
                        ("Contingency", "About 10 percent", "3,400"),
                        ("Total", "", "37,350"),
                    )
                ],
            ),
            Section(
                "Statement of funds",
                [
                    "As of October 31, 2026 the Alliance held unrestricted reserves of USD 412,600 in its operating "
                    "and reserve accounts at Cascade Community Bank, Portland, Oregon, as confirmed by the bank's "
                    "balance letter of the same date. The amount above is set aside in a designated project account.",
                    "Hannah Lee will also file a declaration of financial support in her own name as a personal "
                    "guarantee of the stipend and the return airfare.",
                    f"Contact: {cssa.contact_name}, {cssa.contact_title}, {cssa.contact_email}, {cssa.contact_phone}.",
                ],
            ),
        ],
    )


def _safety_plan_pdf() -> bytes:
    fire = PARTNERS[2]
    return document_pdf(
        title="Site safety plan and aftershock protocol",
        subtitle="School building assessments, January – April 2027 · approved November 20, 2026",
        author=fire.name,
        letterhead=fire.letterhead,
        sections=[
            Section(
                "Scope",
                [
                    f"Applies to every visit of the inspection team of the {PROJECT_TITLE}, led by {DR_BENEFICIARY}, "
                    "to the 14 unreinforced-masonry school buildings of Riverton Unified School District.",
                ],
            ),
            Section(
                "Before entering a building",
                [
                    [
                        "A Fire & Rescue officer escorts the team on every visit and holds the authority to stop it.",
                        "Exterior walk-around first: falling-hazard check of parapets, chimneys and gable walls.",
                        "Entry only after the escort confirms exits, utilities shut-off points and a rally point.",
                        "Helmets, high-visibility vests, safety boots and radios for every team member.",
                    ]
                ],
            ),
            Section(
                "Aftershock protocol",
                [
                    [
                        "Any felt aftershock: everyone leaves the building at once by the nearest safe exit and "
                        "meets at the rally point; the escort takes a head count.",
                        "Re-entry only after a new exterior check and the escort's approval.",
                        "An aftershock of magnitude 4.5 or more within 30 km suspends all visits for 24 hours and "
                        "triggers a re-check of buildings already tagged.",
                    ]
                ],
            ),
            Section(
                "Occupancy decisions",
                [
                    "The team's triage results are given to the Fire Chief and the Superintendent the same day. "
                    "Fire & Rescue posts the placard (inspected, restricted use, unsafe) and the district acts on it. "
                    "Licensed Oregon engineers sign every assessment report.",
                ],
            ),
            Section(
                "Emergency contacts",
                [
                    (
                        ("Role", "Name", "Phone"),
                        ("Fire Chief", fire.contact_name, fire.contact_phone),
                        ("Project supervisor, OEM", PARTNERS[0].contact_name, PARTNERS[0].contact_phone),
                        ("Superintendent", PARTNERS[1].contact_name, PARTNERS[1].contact_phone),
                    )
                ],
            ),
        ],
    )


def _return_ties_letter_pdf() -> bytes:
    return letter_pdf(
        letterhead=Letterhead(
            "Universidad Técnica Federico Santa María",
            ("Department of Civil Works", "Avenida España 1680, Valparaíso, Chile", "+56 32 555 0400"),
        ),
        dated=date(2026, 11, 10),
        recipient=_TO_USCIS,
        subject=f"Employment and leave of absence of {DR_BENEFICIARY}",
        paragraphs=[
            f"I confirm that {DR_BENEFICIARY} has been a tenured Associate Professor in our Department of Civil "
            "Works since 2015.",
            "The University has granted her a leave of absence from January 2, 2027 to May 5, 2027 so that she can "
            f"take part in the {PROJECT_TITLE} in Riverton, Oregon. Her position, salary and benefits are held for "
            "her. She is scheduled to teach Structural Dynamics II from May 10, 2027, and she continues to "
            "supervise four graduate theses whose defences are set for June and July 2027.",
            "We look forward to her return, and to the knowledge she will bring back to our students.",
            "Contact: Prof. Ricardo Salinas, Head of Department, ricardo.salinas@usm.example.cl, +56 32 555 0400.",
        ],
        signer=Signer("Prof. Ricardo Salinas", "Head of the Department of Civil Works"),
    )


def _training_plan_pdf() -> bytes:
    oit = PARTNERS[4]
    return document_pdf(
        title="Local inspector training plan",
        subtitle=f"{PROJECT_TITLE} · prepared with Riverton OEM, November 20, 2026",
        author=oit.name,
        letterhead=oit.letterhead,
        sections=[
            Section(
                "Purpose",
                [
                    "Train and certify 12 local inspectors (eight from the Oregon Institute of Technology, four "
                    "district facilities staff) in rapid post-earthquake evaluation of unreinforced-masonry "
                    f"buildings, so that the district can continue the work after {DR_BENEFICIARY} leaves on April "
                    "30, 2027. She is the lead trainer; Prof. Samuel Ito coordinates the trainees.",
                ],
            ),
            Section(
                "Programme (Saturdays, January 9 – April 17, 2027)",
                [
                    (
                        ("Weeks", "Module", "Outcome"),
                        ("1–2", "URM behaviour in earthquakes; failure modes", "Written test"),
                        (
                            "3–5",
                            "Rapid evaluation procedure, tagging, documentation",
                            "Supervised triage of 3 buildings",
                        ),
                        ("6–9", "Detailed assessment: walls, diaphragms, connections", "Assessment of 1 building"),
                        ("10–12", "Materials sampling and laboratory testing", "Lab report"),
                        ("13–15", "Leading a team; safety; communicating with the community", "Field examination"),
                    )
                ],
            ),
            Section(
                "Certification",
                [
                    "Trainees who pass the written test, the field examination and the supervised assessments are "
                    "certified on April 23, 2027. Course materials are bilingual (English and Spanish) and remain "
                    "with the district and the University.",
                    f"Contact: {oit.contact_name}, {oit.contact_title}, {oit.contact_email}, {oit.contact_phone}.",
                ],
            ),
        ],
    )


def other_evidence() -> list[DemoExhibit]:
    """The evidence that fills no slot in the content: added in the evidence step, after the support letters."""
    return [
        DemoExhibit(
            "firm-statements", ExhibitKind.NEED,
            "Statements on the availability of URM rapid-assessment engineers",
            "Willamette Structural Engineers; Columbia Ridge Engineering", date(2026, 11, 18),
            "statements-engineering-firms.pdf", _firm_statements_pdf(),
        ),
        DemoExhibit(
            "financial", ExhibitKind.FINANCIAL, "Financial support: board resolution, budget and statement of funds",
            PARTNERS[3].name, date(2026, 11, 20), "financial-support-cssa.pdf", _financial_pdf(),
        ),
        DemoExhibit(
            "safety-plan", ExhibitKind.PLAN, "Site safety plan and aftershock protocol", PARTNERS[2].name,
            date(2026, 11, 20), "site-safety-plan.pdf", _safety_plan_pdf(),
        ),
        DemoExhibit(
            "return-ties", ExhibitKind.RETURN_TIES, "Letter confirming tenured position and leave of absence",
            "Universidad Técnica Federico Santa María", date(2026, 11, 10), "letter-university.pdf",
            _return_ties_letter_pdf(),
        ),
        DemoExhibit(
            "training-plan", ExhibitKind.PLAN, "Local inspector training plan", PARTNERS[4].name, date(2026, 11, 20),
            "training-plan.pdf", _training_plan_pdf(),
        ),
    ]  # fmt: skip


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
