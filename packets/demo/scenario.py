"""The Riverton demo case (docs/demo-scenario.md) as packet content and evidence files.

Everything here is invented: people, organisations, numbers, e-mail domains. ``create_demo_packet`` builds the packet
through the real services, so seeding the demo exercises the same code paths as a user filling in the wizard.
"""

import uuid

from django.contrib.auth.models import User

from packets.content.schema import PacketData
from packets.content.services import ExhibitUpload, exhibit_add, packet_create, packet_save_section
from packets.demo.evidence import demo_exhibits
from packets.demo.letters import weak_letter_pdf
from packets.demo.people import BENEFICIARY, DR_BENEFICIARY, PARTNERS, PROJECT_TITLE, DemoExhibit, DemoPartner
from packets.models import ExhibitKind, Packet

__all__ = [
    "PARTNERS",
    "DemoExhibit",
    "DemoPartner",
    "create_demo_packet",
    "demo_exhibits",
    "riverton_content",
    "weak_letter_pdf",
]


def riverton_content(exhibit_ids: dict[str, uuid.UUID] | None = None) -> PacketData:
    """Every section of the Riverton case; ``exhibit_ids`` (demo exhibit key → exhibit id) fills the file slots."""
    ids = exhibit_ids or {}
    return PacketData.model_validate(
        {
            "beneficiary": {
                "full_name": BENEFICIARY,
                "other_names": "Lucia Fernandez",
                "date_of_birth": "1984-03-09",
                "place_of_birth": "Valparaíso, Chile",
                "citizenship": "Chile",
                "passport_number": "P12345678",
                "passport_country": "Chile",
                "passport_issued_on": "2022-05-02",
                "passport_expires_on": "2032-05-01",
                "residence_address": "Avenida Libertad 1450, departamento 82, Viña del Mar, Valparaíso, Chile",
                "email": "lucia.fernandez@example.org",
                "phone": "+56 9 5555 0101",
                "prior_trips": [
                    {
                        "arrived_on": "2019-10-14",
                        "departed_on": "2019-10-20",
                        "status": "B-1 business visitor",
                        "purpose": "Earthquake engineering conference (speaker), Seattle, Washington.",
                        "left_on_time": True,
                    }
                ],
                "immigration_history": (
                    "None. One earlier visit to the United States (B-1, October 2019), left on time. No visa has "
                    "ever been refused; no overstay, removal or pending immigration application."
                ),
                "passport_exhibit_id": ids.get("passport"),
            },
            "requestor": {
                "requested_by": "organisation",
                "counsel_name": "Priya Raman, Esq.",
                "counsel_firm": "Raman Immigration Law",
                "counsel_email": "praman@ramanlaw.example.com",
                "counsel_phone": "+1 503 555 0165",
            },
            "organisation": {
                "name": PARTNERS[0].name,
                "kind": "government_agency",
                "address": PARTNERS[0].address,
                "contact_name": PARTNERS[0].contact_name,
                "contact_title": PARTNERS[0].contact_title,
                "contact_email": PARTNERS[0].contact_email,
                "contact_phone": PARTNERS[0].contact_phone,
            },
            "project": _PROJECT,
            "qualifications": {**_QUALIFICATIONS, "cv_exhibit_id": ids.get("cv")},
            "partners": {
                "items": [
                    {
                        "id": partner.id,
                        "name": partner.name,
                        "kind": partner.kind,
                        "role": partner.role,
                        "contact_name": partner.contact_name,
                        "contact_title": partner.contact_title,
                        "contact_email": partner.contact_email,
                        "contact_phone": partner.contact_phone,
                        "letter_date": partner.letter_date,
                        "letter_exhibit_id": ids.get(partner.letter_key),
                    }
                    for partner in PARTNERS
                ]
            },
            "timeline": _TIMELINE,
            "alternatives": _ALTERNATIVES,
            "logistics": _LOGISTICS,
            "risk": _RISK,
            "monitoring": _MONITORING,
            "exit": _EXIT,
            "sustainability": _SUSTAINABILITY,
        }
    )


_PROJECT = {
    "title": PROJECT_TITLE,
    "summary": (
        "The Cascadia earthquake swarm of 2026 damaged two Riverton elementary schools. Before winter term the city "
        "must know which of the district's 14 unreinforced-masonry (URM) school buildings are safe to occupy. "
        f"{DR_BENEFICIARY}, a structural engineer who led rapid post-earthquake evaluations in Chile, will lead the "
        "rapid triage of all 14 buildings, the detailed assessment of the six most at risk, and the training of a "
        "local inspection team that continues the work after she leaves."
    ),
    "public_benefit": (
        "6,800 students and 900 staff attend the 14 buildings. Rapid triage decides which buildings close, which "
        "stay open with restrictions and which are safe. Detailed assessments of six priority buildings are the "
        "basis of the district's retrofit funding request. Twelve local inspectors will be trained and certified, "
        "so the district can assess its buildings after future earthquakes without outside help."
    ),
    "beneficiaries": (
        "Students, teachers and staff of Riverton Unified School District and their families; the Riverton "
        "community, which uses the schools as evening shelters; the city's emergency services, who gain a trained "
        "local inspection team."
    ),
    "urgency": (
        "Winter term starts on 2027-01-11: occupancy decisions for every building are needed in its first weeks. "
        "State funding for school retrofits requires assessment reports filed by 2027-03-31; a missed deadline "
        "delays retrofits by a full funding cycle. Aftershocks continue, so every week without triage leaves "
        "children in buildings of unknown safety."
    ),
    "priorities": (
        "Oregon's school-safety mandate for seismic rehabilitation of school buildings; the county's FEMA-approved "
        "hazard-mitigation plan, which lists URM schools as its first priority; Riverton's emergency-management "
        "plan."
    ),
}

_QUALIFICATIONS = {
    "skills": (
        "18 years of structural and earthquake engineering. Rapid post-earthquake evaluation of buildings after "
        "the 2010 Maule and 2014 Iquique earthquakes in Chile. Author of Chile's national guideline for the "
        "seismic retrofit of unreinforced-masonry buildings. Trainer of more than 300 building inspectors. "
        "Certified evaluator and instructor in ATC-20-style rapid evaluation. Fluent in English and Spanish."
    ),
    "need_connection": (
        "Riverton needs, before March, someone who can both triage URM school buildings on site and train a local "
        "team to do it: this is exactly the work Dr. Fernández Ortega has led after two major earthquakes and "
        "taught to more than 300 inspectors. Two Oregon structural engineering firms confirm in writing that no "
        "engineer with URM rapid-assessment and trainer experience is available to them before March 2027. Her "
        "bilingual training lets the district reach its Spanish-speaking facilities staff and families."
    ),
    "prior_work": (
        "2010: led a 40-engineer rapid-evaluation team in the Maule region, 1,900 buildings triaged in six weeks. "
        "2014: coordinated the evaluation of schools and hospitals in Iquique after the magnitude 8.2 earthquake. "
        "2016–2019: principal author of the national URM retrofit guideline. Since 2012: annual inspector "
        "training courses for municipalities and the Chilean Association of Seismology."
    ),
    "certifications": (
        "Certified Rapid Post-Earthquake Safety Evaluator and Instructor, Chilean Association of Seismology, 2023. "
        "Doctor of Engineering Sciences (Structural Engineering), Universidad Técnica Federico Santa María, 2012."
    ),
}

_TIMELINE = {
    "filing_date": "2026-12-01",
    "arrival_date": "2027-01-04",
    "departure_date": "2027-04-30",
    "entry_deadline_reason": (
        "Winter term starts on 2027-01-11. The team must be onboarded and briefed on safety in the first week so "
        "that triage of all 14 buildings is complete by 2027-01-29, in time for occupancy decisions, and the state "
        "retrofit-funding reports can be filed by 2027-03-31."
    ),
    "milestones": [
        {
            "due_on": "2027-01-08",
            "description": "Team onboarding and safety briefing",
            "outcome": "Inspection team formed; site safety plan and aftershock protocol rehearsed with Fire & Rescue.",
        },
        {
            "due_on": "2027-01-29",
            "description": "Rapid triage of all 14 buildings complete",
            "outcome": "Every building tagged; occupancy decisions made by the district and Fire & Rescue.",
        },
        {
            "due_on": "2027-02-26",
            "description": "Detailed assessments of 6 priority buildings",
            "outcome": "Assessment reports with retrofit priorities, signed by licensed Oregon engineers.",
        },
        {
            "due_on": "2027-03-26",
            "description": "State filing of assessment reports",
            "outcome": "Reports filed ahead of the 2027-03-31 retrofit-funding deadline.",
        },
        {
            "due_on": "2027-04-23",
            "description": "Local team certified and hand-over complete",
            "outcome": "12 local inspectors certified; procedures and bilingual materials handed to the district.",
        },
    ],
}

_ALTERNATIVES = {
    "options": [
        {
            "kind": "visa",
            "option": "B-1 business visitor visa",
            "why_not": (
                "The work is hands-on assessment and training for a public body over four months; counsel advises "
                "that it goes beyond permissible B-1 activities."
            ),
        },
        {
            "kind": "visa",
            "option": "H-1B or O-1 visa",
            "why_not": (
                "The H-1B cap and petition processing, and O-1 petition processing, cannot deliver a decision "
                "before January; no employer-petitioner can file in time for a four-month public-safety project."
            ),
        },
        {
            "kind": "remote",
            "option": "Remote support only",
            "why_not": (
                "Triage requires on-site inspection of walls, parapets and connections. Remote review was tried "
                "for two buildings in November 2026 and could not reach occupancy decisions."
            ),
        },
    ],
    "summary": (
        "No visa category fits a four-month, hands-on public-safety project that must start in early January, and "
        "remote support has already failed. Parole for significant public benefit is the only route that lets the "
        "work start before winter term and ends it on a fixed date."
    ),
}

_LOGISTICS = {
    "arrival_plan": (
        "Arrival at Portland International Airport (PDX) on 2027-01-04, met by Marcus Bell of Riverton OEM; "
        "onboarding, background-check fingerprinting and safety briefing during the first week."
    ),
    "housing": (
        "A furnished apartment provided and paid for by the Cascadia Structural Safety Alliance, 1.2 km from the "
        "Office of Emergency Management."
    ),
    "transport": "An OEM vehicle with a driver for all site visits; walking or public transport otherwise.",
    "supervision": (
        "Daily supervision by Marcus Bell, Deputy Director, Riverton OEM (mbell@riverton.example.gov, "
        "+1 503 555 0142); weekly check-in with the school district's superintendent."
    ),
    "supporters": [
        {
            "name": "Cascadia Structural Safety Alliance",
            "kind": "organisation",
            "relationship": "Partner NGO funding the stay",
            "covers": "Stipend of USD 6,000 a month, furnished housing, travel health insurance and return airfare.",
            "files_declaration": True,
        },
        {
            "name": "Hannah Lee",
            "kind": "person",
            "relationship": "Executive Director, Cascadia Structural Safety Alliance",
            "covers": "Personal guarantee of the stipend and return airfare should the Alliance's funds fall short.",
            "files_declaration": True,
        },
    ],
}

_RISK = {
    "scope_change": (
        "If more buildings fail triage than expected, the priority list is re-ordered with the district; the stay "
        "is not extended beyond 2027-04-30 and remaining work passes to the trained local team."
    ),
    "security": (
        "OEM monitors local conditions daily; site visits are suspended when Fire & Rescue advises, and the "
        "schedule is re-planned within the same end date."
    ),
    "public_health": (
        "Travel health insurance provided by the Alliance; training moves to small groups or online sessions if "
        "county public-health guidance requires it."
    ),
    "safety_precautions": (
        "A site safety plan agreed with Riverton Fire & Rescue: escort on every site visit, protective equipment, "
        "and an aftershock protocol that clears buildings at once after any felt aftershock."
    ),
    "background_checks": (
        "A fingerprint-based background check by Riverton OEM before any access to school sites; district "
        "visitor rules apply at every school."
    ),
    "legal_compliance": (
        "Oregon professional-engineering supervision rules are followed: Dr. Fernández Ortega advises and trains; "
        "licensed Oregon engineers sign every report."
    ),
    "local_systems": (
        "Housing, health insurance and all living costs are paid by the Alliance; no public benefits will be used."
    ),
}

_MONITORING = {
    "reporting_channels": (
        "Weekly written reports to Riverton OEM; a monthly summary to the Riverton school board; the final "
        "assessment reports to the state by 2027-03-31."
    ),
    "indicators": [
        {"name": "Buildings triaged", "target": "14 by 2027-01-29"},
        {"name": "Detailed assessments completed", "target": "6 by 2027-02-26"},
        {"name": "Local inspectors certified", "target": "12 by 2027-04-23"},
        {"name": "Assessment reports filed with the state", "target": "All by 2027-03-31"},
    ],
    "shares_data": True,
    "data_sharing": (
        "A data-sharing agreement with the district: building data stays with the district; the university "
        "receives anonymised data only; no personal data of students or staff is collected."
    ),
}

_EXIT = {
    "exit_strategy": (
        "Return flight Portland (PDX) to Santiago (SCL) booked for 2027-04-30, after the hand-over to the "
        "certified local team on 2027-04-23."
    ),
    "return_ties": (
        "A tenured faculty position at Universidad Técnica Federico Santa María, which has granted a leave of "
        "absence until 2027-05-05 (letter attached); her home and family are in Viña del Mar."
    ),
    "conditions_compliance": (
        "She will not seek employment beyond the project and will report as required by any parole conditions, "
        "including address changes."
    ),
    "denial_contingency": (
        "If parole is denied: remote advisory support, and a delegation of three Riverton engineers to Chile in "
        "February 2027 for training; the state deadline would then likely be missed for some buildings."
    ),
}

_SUSTAINABILITY = {
    "capacity_building": (
        "12 local inspectors certified; bilingual (English and Spanish) training materials and inspection "
        "procedures left with the district."
    ),
    "local_leadership": "The district's facilities staff lead the hand-over and all later inspections.",
    "cultural_sensitivity": "Community meetings at each school in English and Spanish.",
    "community_consultation": (
        "A community meeting at each school before and after triage; questions and concerns from families feed "
        "the priority list."
    ),
    "affiliations": ("Universidad Técnica Federico Santa María (faculty); Chilean Association of Seismology (member)."),
    "funding_sources": (
        "Cascadia Structural Safety Alliance: stipend, housing, insurance. Riverton OEM: vehicle and driver. No "
        "payment from the school district."
    ),
    "use_of_time": "On-site assessments Monday to Friday, training on Saturdays, no other activities.",
}


def create_demo_packet(*, owner: User, name: str = "Riverton schools — seismic assessment") -> Packet:
    """The complete Riverton packet, owned by ``owner``, built step by step through the packet services."""
    exhibits = {exhibit.key: exhibit for exhibit in demo_exhibits()}
    content = riverton_content().model_dump(mode="json")
    packet = packet_create(owner=owner, name=name)
    slot_uploads: dict[str, list[ExhibitUpload]] = {
        "beneficiary": [exhibits["passport"].upload(("passport_exhibit_id",))],
        "qualifications": [exhibits["cv"].upload(("cv_exhibit_id",))],
        "partners": [
            exhibits[partner.letter_key].upload(("items", index, "letter_exhibit_id"))
            for index, partner in enumerate(PARTNERS)
        ],
    }
    slotted = {"passport", "cv", *(partner.letter_key for partner in PARTNERS)}
    for section, value in content.items():
        if section == "schema_version":
            continue
        packet = packet_save_section(
            packet=packet,
            section=section,
            value=value,
            base_revision=packet.revision,
            by=owner,
            uploads=slot_uploads.get(section, ()),
        )
        if section == "qualifications":
            # Certificates belong with the CV, before the support letters, as a reviewer expects.
            for exhibit in exhibits.values():
                if exhibit.kind == ExhibitKind.CERTIFICATE:
                    exhibit_add(packet=packet, upload=exhibit.upload(), by=owner)
    for key, exhibit in exhibits.items():
        if key not in slotted and exhibit.kind != ExhibitKind.CERTIFICATE:
            exhibit_add(packet=packet, upload=exhibit.upload(), by=owner)
    packet.refresh_from_db()
    return packet
