"""The demo beneficiary's CV and certificates."""

from datetime import date

from packets.demo.documents import (
    Section,
    Signer,
    certificate_pdf,
    document_pdf,
)
from packets.demo.people import BENEFICIARY, DR_BENEFICIARY, DemoExhibit
from packets.models import ExhibitKind


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
