"""The packet's sections as people see them: one registry of their names, titles and order.

The wizard's steps, the review page, the history, the diffs and the comment counts all name a section by these
titles; nothing else spells them. "evidence" is not a section of the content (exhibits live beside it) but is a step,
where the other exhibits are uploaded and comments on exhibits are counted; "cover_letter" is edited on its own page.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVIDENCE = "evidence"


@dataclass(frozen=True)
class SectionInfo:
    name: str
    title: Promise


SECTIONS: tuple[SectionInfo, ...] = (
    SectionInfo("beneficiary", _("The person who would travel")),
    SectionInfo("requestor", _("Who is asking")),
    SectionInfo("organisation", _("The requesting organisation")),
    SectionInfo("project", _("The project")),
    SectionInfo("qualifications", _("Why this person")),
    SectionInfo("partners", _("Partners and support letters")),
    SectionInfo("timeline", _("Timeline")),
    SectionInfo("alternatives", _("Why parole and not a visa")),
    SectionInfo("logistics", _("Logistics, supervision and money")),
    SectionInfo("risk", _("Risk management and compliance")),
    SectionInfo("monitoring", _("Monitoring and reporting")),
    SectionInfo("exit", _("Temporary presence and exit")),
    SectionInfo("sustainability", _("Sustainability and transparency")),
    SectionInfo("cover_letter", _("Cover letter")),
    SectionInfo(EVIDENCE, _("Other evidence")),
)

SECTION_TITLES: dict[str, Promise] = {section.name: section.title for section in SECTIONS}


def section_title(name: str) -> str:
    """The title of section (or step) ``name`` in the active language; an unknown name is shown as it is."""
    title = SECTION_TITLES.get(name)
    return str(title) if title is not None else name
