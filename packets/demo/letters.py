"""The demo case's support letters: one per partner, and a deliberately weak one for the readiness review."""

from datetime import date

from packets.demo.documents import (
    Letterhead,
    Signer,
    letter_pdf,
)
from packets.demo.people import DR_BENEFICIARY, PROJECT_TITLE, ROLE, TO_USCIS, DemoPartner

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
        recipient=TO_USCIS,
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
