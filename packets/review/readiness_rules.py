"""The readiness rules: pure functions over a packet's facts, each registered with ``@rule`` (``readiness_base``).

A finding's message is translated when the rule runs (``gettext``, whole sentences with named placeholders). Rules are
run through ``packets.review.readiness.review``, which imports this module so that every rule here is registered.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from packets.review.readiness_base import Finding, PacketFacts, Severity, rule

STAY_LIMIT_DAYS = 365
PASSPORT_MARGIN_DAYS = 183
MIN_LEAD_DAYS = 30
FACTS_MAX_AGE_DAYS = 90
PAGE_BUDGET = 1_000
SIZE_BUDGET_BYTES = 250 * 1024 * 1024


def _blank(value: str) -> bool:
    return not value.strip()


# ── Timeline and passport ────────────────────────────────────────────────────────────────────────────────────────────


@rule
def departure_date(p: PacketFacts) -> Iterator[Finding]:
    timeline = p.content.timeline
    if timeline.departure_date is None:
        yield Finding("departure-missing", Severity.BLOCKER,
                      _("There is no fixed end date. Parole is temporary: the reviewer must see the day the person "
                        "leaves. Add the departure date."), "timeline", "departure_date")  # fmt: skip
    elif timeline.arrival_date and timeline.departure_date <= timeline.arrival_date:
        yield Finding("departure-before-arrival", Severity.BLOCKER,
                      _("The departure date is not after the arrival date. Correct one of them."),
                      "timeline", "departure_date")  # fmt: skip
    days = timeline.stay_days
    if days is not None and days > STAY_LIMIT_DAYS:
        yield Finding("stay-too-long", Severity.WARNING,
                      _("The stay lasts %(days)s days, more than 12 months. A reviewer expects the stay to be as "
                        "short as the work needs: shorten it, or explain in the timeline why the work needs this "
                        "long.") % {"days": days},
                      "timeline", "departure_date")  # fmt: skip


@rule
def passport_validity(p: PacketFacts) -> Iterator[Finding]:
    expires, departs = p.content.beneficiary.passport_expires_on, p.content.timeline.departure_date
    if not expires or not departs:
        return
    if expires < departs:
        yield Finding("passport-expires-during-stay", Severity.BLOCKER,
                      _("The passport expires on %(expires)s, before the departure on %(departs)s. The person "
                        "cannot travel on it for the whole stay: renew the passport first.")
                      % {"expires": expires, "departs": departs},
                      "beneficiary", "passport_expires_on")  # fmt: skip
    elif expires < departs + timedelta(days=PASSPORT_MARGIN_DAYS):
        yield Finding("passport-expires-soon-after", Severity.WARNING,
                      _("The passport expires on %(expires)s, less than six months after the departure on "
                        "%(departs)s. Reviewers and airlines look for six months' validity: consider renewing it.")
                      % {"expires": expires, "departs": departs},
                      "beneficiary", "passport_expires_on")  # fmt: skip


@rule
def milestones(p: PacketFacts) -> Iterator[Finding]:
    timeline = p.content.timeline
    if not timeline.milestones:
        yield Finding("no-milestone", Severity.WARNING,
                      _("There is no milestone. Dated milestones show that the stay is planned and no longer than "
                        "the work needs. Add at least one, with its expected outcome."),
                      "timeline", "milestones")  # fmt: skip
    for milestone in timeline.milestones:
        outside = milestone.due_on and (
            (timeline.arrival_date and milestone.due_on < timeline.arrival_date)
            or (timeline.departure_date and milestone.due_on > timeline.departure_date)
        )
        if outside:
            yield Finding("milestone-outside-stay", Severity.BLOCKER,
                          _("The milestone “%(milestone)s” (%(date)s) falls outside the stay. Move it inside the "
                            "arrival and departure dates.")
                          % {"milestone": milestone.description, "date": milestone.due_on},
                          "timeline", "milestones")  # fmt: skip


@rule
def filing_lead_time(p: PacketFacts) -> Iterator[Finding]:
    timeline = p.content.timeline
    if not timeline.arrival_date:
        return
    filing = timeline.filing_date or p.today
    processing = p.facts.get("processing").processing_days or 120
    lead = (timeline.arrival_date - filing).days
    explained = not _blank(timeline.entry_deadline_reason) and not _blank(p.content.project.urgency)
    # An explained urgency makes a short lead acceptable; under a month is too tight whatever the reason.
    if lead < MIN_LEAD_DAYS and explained:
        yield Finding("filing-close-to-arrival", Severity.WARNING,
                      _("The request would be filed %(days)s days before the requested arrival, and parole requests "
                        "have historically taken 90 to 120 business days. The urgency is explained; now ask for "
                        "expedited processing: after filing, once the receipt notice gives a receipt number, ask "
                        "USCIS through its Contact Center or the secure messages of a USCIS online account, name the "
                        "criterion that applies (urgent humanitarian reasons, or a government body's public-safety "
                        "interest) and send the evidence, such as a letter from that body saying why the work is "
                        "urgent. Expediting is at USCIS's discretion: if the arrival can move later, move it "
                        "(see the filing checklist: %(fact)s).") % {"days": lead, "fact": _expedite_fact(p)},
                      "timeline", "arrival_date")  # fmt: skip
    elif lead < MIN_LEAD_DAYS or (lead < processing and not explained):
        yield Finding("filing-close-to-arrival", Severity.WARNING,
                      _("The request would be filed %(days)s days before the requested arrival. Parole requests "
                        "have historically taken 90 to 120 business days; explain the urgency (why entry is needed "
                        "by that date), ask for expedited processing, or move the arrival later.") % {"days": lead},
                      "timeline", "entry_deadline_reason")  # fmt: skip


def _expedite_fact(p: PacketFacts) -> str:
    try:
        fact = p.facts.get("expedite")
    except KeyError:
        return _("Expedited processing")
    return fact.name


# ── Exit ─────────────────────────────────────────────────────────────────────────────────────────────────────────────


@rule
def exit_plan(p: PacketFacts) -> Iterator[Finding]:
    plan = p.content.exit
    if _blank(plan.exit_strategy):
        yield Finding("no-exit-strategy", Severity.BLOCKER,
                      _("There is no exit strategy. The reviewer looks above all for proof that the stay is "
                        "temporary: say how and when the person leaves."), "exit", "exit_strategy")  # fmt: skip
    if _blank(plan.denial_contingency):
        yield Finding("no-denial-contingency", Severity.WARNING,
                      _("Nothing says what happens if the request is denied. Describe the fallback and any other "
                        "lawful channel pursued in parallel."), "exit", "denial_contingency")  # fmt: skip
    if _blank(plan.return_ties):
        yield Finding("no-return-ties", Severity.BLOCKER,
                      _("No ties that ensure return are given (a job, family, studies or property at home). Add "
                        "them."),
                      "exit", "return_ties")  # fmt: skip


# ── Alternatives, risk, monitoring, logistics, disclosures ──────────────────────────────────────────────────────────


@rule
def alternatives(p: PacketFacts) -> Iterator[Finding]:
    section = p.content.alternatives
    explained = [option for option in section.options if option.option and option.why_not]
    if not explained or _blank(section.summary):
        yield Finding("alternatives-unexplained", Severity.BLOCKER,
                      _("The request does not explain why no visa or remote option works. Parole is for cases no "
                        "ordinary route fits: list each option considered and why it fails."),
                      "alternatives", "options" if not explained else "summary")  # fmt: skip


_EMPTY_FIELD_RULES: tuple[tuple[str, Severity, str, str, str], ...] = (
    ("no-scope-contingency", Severity.WARNING, "risk", "scope_change",
     gettext_noop("Nothing says what happens if the scope changes. Say how the plan adapts without extending the "
                  "stay.")),
    ("no-security-contingency", Severity.WARNING, "risk", "security",
     gettext_noop("Nothing says what happens if security conditions change.")),
    ("no-health-contingency", Severity.WARNING, "risk", "public_health",
     gettext_noop("Nothing says what happens if a public-health event occurs.")),
    ("no-safety-precautions", Severity.WARNING, "risk", "safety_precautions",
     gettext_noop("No safety or health precautions are described (site safety, insurance, protocols).")),
    ("no-reporting-channel", Severity.WARNING, "monitoring", "reporting_channels",
     gettext_noop("No reporting channel to the authorities is described. Say who receives reports and how often.")),
    ("no-supervision", Severity.BLOCKER, "logistics", "supervision",
     gettext_noop("Nobody is named to supervise the person on the ground. The reviewer needs an accountable "
                  "supervisor.")),
    ("no-housing", Severity.WARNING, "logistics", "housing", gettext_noop("No housing plan is given.")),
    ("no-transport", Severity.SUGGESTION, "logistics", "transport", gettext_noop("No local transport plan is given.")),
    ("no-affiliations", Severity.WARNING, "sustainability", "affiliations",
     gettext_noop("Affiliations are not disclosed. Write them, or 'None' — an unanswered question reads as "
                  "something hidden.")),
    ("no-funding-sources", Severity.WARNING, "sustainability", "funding_sources",
     gettext_noop("Funding sources are not disclosed. Say who pays for what.")),
    ("no-use-of-time", Severity.WARNING, "sustainability", "use_of_time",
     gettext_noop("Nothing says how the time in the United States will be spent.")),
)  # fmt: skip


@rule
def empty_answers(p: PacketFacts) -> Iterator[Finding]:
    for rule_id, severity, section, field_name, message in _EMPTY_FIELD_RULES:
        if _blank(getattr(p.content.section(section), field_name)):
            yield Finding(rule_id, severity, _(message), section, field_name)


@rule
def monitoring(p: PacketFacts) -> Iterator[Finding]:
    section = p.content.monitoring
    if not any(indicator.name and indicator.target for indicator in section.indicators):
        yield Finding("no-indicator", Severity.WARNING,
                      _("There is no measurable indicator with a target. Indicators let authorities verify the "
                        "public benefit."), "monitoring", "indicators")  # fmt: skip
    if section.shares_data and _blank(section.data_sharing):
        yield Finding("no-data-sharing-statement", Severity.WARNING,
                      _("The project shares data but no data-sharing agreement or privacy statement is given."),
                      "monitoring", "data_sharing")  # fmt: skip


@rule
def financial_support(p: PacketFacts) -> Iterator[Finding]:
    if not p.content.logistics.supporters:
        yield Finding("no-financial-supporter", Severity.BLOCKER,
                      _("No financial supporter is named. The reviewer checks that the stay is paid for without "
                        "public funds; each supporter usually files a declaration of financial support (Form "
                        "I-134)."),
                      "logistics", "supporters")  # fmt: skip


# ── Evidence ─────────────────────────────────────────────────────────────────────────────────────────────────────────


@rule
def key_documents(p: PacketFacts) -> Iterator[Finding]:
    if p.exhibit(p.content.qualifications.cv_exhibit_id) is None:
        yield Finding("cv-missing", Severity.BLOCKER,
                      _("The CV is missing. It is the evidence for every skill the request claims."),
                      "qualifications", "cv_file")  # fmt: skip
    if p.exhibit(p.content.beneficiary.passport_exhibit_id) is None:
        yield Finding("passport-page-missing", Severity.BLOCKER,
                      _("The passport biographic page is missing. The reviewer needs it to confirm identity."),
                      "beneficiary", "passport_file")  # fmt: skip


@rule
def citations(p: PacketFacts) -> Iterator[Finding]:
    from packets.content.citations import cited_exhibit_ids

    cited = cited_exhibit_ids(p.content, [(item.id, item.kind) for item in p.exhibits])
    known = {item.id for item in p.exhibits}
    for item in p.exhibits:
        if item.id not in cited:
            yield Finding("exhibit-not-cited", Severity.SUGGESTION,
                          _("“%(exhibit)s” is not cited by any section of the narrative. Choose a more specific "
                            "kind for it (certificate, financial evidence, plan, collaboration, evidence of the "
                            "need, ties at home) so the right section cites it, or remove it: reviewers distrust "
                            "evidence that nothing refers to.") % {"exhibit": item.title},
                          "evidence", "")  # fmt: skip
    for missing in p.content.exhibit_references() - known:
        yield Finding("citation-to-missing-exhibit", Severity.BLOCKER,
                      _("An answer points to an exhibit that no longer exists (%(exhibit)s). Upload the file "
                        "again.") % {"exhibit": missing},
                      "evidence", "")  # fmt: skip


@rule
def budgets(p: PacketFacts) -> Iterator[Finding]:
    pages = sum(item.page_count + 1 for item in p.exhibits)  # each exhibit also gets a slip sheet
    size = sum(item.size for item in p.exhibits)
    if pages > PAGE_BUDGET:
        yield Finding("over-page-budget", Severity.WARNING,
                      _("The exhibits alone come to about %(pages)s pages, over the %(budget)s-page budget. A "
                        "reviewer reads less of a longer packet: keep the strongest evidence.")
                      % {"pages": pages, "budget": PAGE_BUDGET},
                      "evidence", "")  # fmt: skip
    if size > SIZE_BUDGET_BYTES:
        yield Finding("over-size-budget", Severity.WARNING,
                      _("The exhibits take %(size)s MB, over the %(budget)s MB budget. Scan at a lower resolution.")
                      % {"size": size // (1024 * 1024), "budget": SIZE_BUDGET_BYTES // (1024 * 1024)},
                      "evidence", "")  # fmt: skip


@rule
def facts_freshness(p: PacketFacts) -> Iterator[Finding]:
    age = p.facts.days_since_verified(p.today)
    if age > FACTS_MAX_AGE_DAYS:
        yield Finding("filing-facts-stale", Severity.WARNING,
                      _("The forms, fees and addresses in the filing checklist were last verified %(days)s days "
                        "ago (%(date)s). Check them on the agency's pages before filing.")
                      % {"days": age, "date": p.facts.last_verified},
                      "evidence", "")  # fmt: skip
