"""One small form per wizard step, translating between form fields and a section of ``PacketData``.

Fields, labels, hints and limits come from the schema (``parole_wizard.fields``); ``base`` holds what every step's form
shares, the other modules the steps themselves.
"""

from parole_wizard.forms.base import Missing, RowForm, RowList, SectionForm
from parole_wizard.forms.evidence import EvidenceForm
from parole_wizard.forms.packet import PacketNameForm
from parole_wizard.forms.people import (
    BeneficiaryForm,
    OrganisationForm,
    PartnerForm,
    PartnersForm,
    PriorTripForm,
    QualificationsForm,
    RequestorForm,
)
from parole_wizard.forms.plan import (
    AlternativeForm,
    AlternativesForm,
    ExitForm,
    IndicatorForm,
    LogisticsForm,
    MilestoneForm,
    MonitoringForm,
    ProjectForm,
    RiskForm,
    SupporterForm,
    SustainabilityForm,
    TimelineForm,
)
from parole_wizard.forms.slots import ExhibitSlotMixin

__all__ = [
    "AlternativeForm",
    "AlternativesForm",
    "BeneficiaryForm",
    "EvidenceForm",
    "ExhibitSlotMixin",
    "ExitForm",
    "IndicatorForm",
    "LogisticsForm",
    "MilestoneForm",
    "Missing",
    "MonitoringForm",
    "OrganisationForm",
    "PacketNameForm",
    "PartnerForm",
    "PartnersForm",
    "PriorTripForm",
    "ProjectForm",
    "QualificationsForm",
    "RequestorForm",
    "RiskForm",
    "RowForm",
    "RowList",
    "SectionForm",
    "SupporterForm",
    "SustainabilityForm",
    "TimelineForm",
]
