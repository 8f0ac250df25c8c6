"""The demo case's other evidence: firm statements, financial support, safety and training plans, ties at home."""

from datetime import date

from packets.demo.documents import (
    Letterhead,
    Section,
    Signer,
    document_pdf,
    letter_pdf,
)
from packets.demo.people import DR_BENEFICIARY, PARTNERS, PROJECT_TITLE, TO_USCIS, DemoExhibit
from packets.models import ExhibitKind


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
        recipient=TO_USCIS,
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
