"""Notices once a review is decided: the decision, the final report, actions overdue in the
service's plan, and an award that expires soon.

As in reviews.notices.reminders, each rule returns every (person, notice) due on the day in a
fixed number of queries. The decision and the final report are told on the next run after they
are recorded (within RECENT_DAYS of it), not at the moment itself: the run is daily or hourly."""

import datetime
import hashlib
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Audience, Fact
from reviews.notices import kinds
from reviews.notices.recipients import People, link, told, with_people
from reviews.notices.sending import Notice
from reviews.peer.models import Action
from reviews.peer.models.outcomes import AWARD_OUTCOMES, Decision
from reviews.reports.models import Report, ReportKind
from reviews.templatetags.award_tags import weeks_or_months

# A decision or final report is told if the reminders run within this many days of it.
RECENT_DAYS = 14
# An award's expiry is told this many days before, and again in its last month.
LAST_MONTH_DAYS = 30


def _to(cycle, notice, audiences, people):
    return [(person, notice) for person in people.of(cycle, told(cycle, notice.facts, audiences))]


def _recent_final_reports(today):
    """The latest final report of each cycle issued lately, with its cycle and decision."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    reports = Report.objects.filter(
        kind=ReportKind.SERVICE, is_final=True, audience="", issued_at__date__gte=since,
        cycle__state__in=CycleState.CONCLUDED,
    ).order_by("cycle_id", "version")
    latest = {report.cycle_id: report for report in reports.only("pk", "cycle_id", "version", "issued_at")}
    cycles = with_people(Cycle.objects.filter(pk__in=latest).select_related("decision"))
    return [(latest[cycle.pk], cycle) for cycle in cycles if getattr(cycle, "decision", None) is not None]


def _recently_decided(today):
    """Concluded cycles whose decision was recorded lately, or changed since (an appeal upheld
    issues a new version of the final report)."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    recent = Q(decision__recorded_at__date__gte=since) | Q(
        reports__kind=ReportKind.SERVICE, reports__is_final=True, reports__audience="", reports__issued_at__date__gte=since
    )
    cycles = Cycle.objects.filter(recent, state__in=CycleState.CONCLUDED, decision__isnull=False)
    return list(with_people(Cycle.objects.filter(pk__in=cycles.values("pk")).select_related("decision")))


def decisions(today):
    """The service's lead, the review team and the commissioners, once the decision is recorded
    (and again if an appeal changes it)."""
    cycles = _recently_decided(today)
    audiences = (Audience.LEAD, Audience.TEAM, Audience.COMMISSIONER)
    people = People(cycles, audiences)
    deliveries = []
    for cycle in cycles:
        decision = cycle.decision
        notice = Notice(
            kind=kinds.DECISION.code, key=f"decision:{cycle.pk}:{decision.outcome}:{decision.valid_until or ''}",
            subject=_("%(service)s: the review's decision: %(outcome)s") % {
                "service": cycle.service, "outcome": decision.get_outcome_display()},
            template="decision", cycle=cycle, facts=(Fact.DECISION,),
            context={"service": cycle.service, "outcome": decision.get_outcome_display(),
                     "is_award": decision.is_award, "valid_until": decision.valid_until,
                     "link": link("reports:report", cycle.pk)},
        )
        deliveries += _to(cycle, notice, audiences, people)
    return deliveries


def reports_ready(today):
    """The service's commissioners and the network administrators, for each final report issued
    (a new version too)."""
    found = _recent_final_reports(today)
    audiences = (Audience.COMMISSIONER, Audience.ADMIN)
    people = People([cycle for _report, cycle in found], audiences)
    deliveries = []
    for report, cycle in found:
        notice = Notice(
            kind=kinds.REPORT_READY.code, key=f"report:{report.pk}",
            subject=_("%(service)s: the final report is ready to read") % {"service": cycle.service},
            template="report_ready", cycle=cycle, facts=(Fact.DECISION, Fact.AGREED_RATINGS),
            context={"service": cycle.service, "version": report.version, "issued": report.issued_at,
                     "outcome": cycle.decision.get_outcome_display(), "link": link("reports:report", cycle.pk)},
        )
        deliveries += _to(cycle, notice, audiences, people)
    return deliveries


def actions_overdue(today):
    """The service's lead, one email per cycle listing its overdue actions; again whenever another
    action becomes overdue (the key names the set of them), not every day."""
    overdue = defaultdict(list)
    for action in Action.objects.overdue(today).filter(cycle__state__in=CycleState.UNDER_WAY).order_by("due_date", "pk"):
        overdue[action.cycle_id].append(action)
    cycles = list(with_people(Cycle.objects.filter(pk__in=overdue)))
    audiences = (Audience.LEAD,)
    people = People(cycles, audiences)
    deliveries = []
    for cycle in cycles:
        actions = overdue[cycle.pk]
        ids = ",".join(str(action.pk) for action in sorted(actions, key=lambda action: action.pk))
        facts = {Fact.CARRIED_ACTIONS if action.carried_from_id else Fact.ACTIONS for action in actions}
        notice = Notice(
            kind=kinds.ACTIONS_OVERDUE.code,
            key=f"actions-overdue:{cycle.pk}:{hashlib.sha256(ids.encode()).hexdigest()[:16]}",
            subject=_("%(service)s: actions in your plan are overdue") % {"service": cycle.service},
            template="actions_overdue", cycle=cycle, facts=tuple(sorted(facts)),
            context={"service": cycle.service, "actions": actions, "link": link("reviews:findings", cycle.pk)},
        )
        deliveries += _to(cycle, notice, audiences, people)
    return deliveries


def awards_expiring(today):
    """The service's lead and commissioners, when the service's award expires within
    settings.AWARD_EXPIRY_WARNING_DAYS, and again in its last month. An award a later decision
    has replaced is not reminded."""
    horizon = today + datetime.timedelta(days=settings.AWARD_EXPIRY_WARNING_DAYS)
    later = Decision.objects.filter(cycle__service_id=OuterRef("cycle__service_id"),
                                    cycle__opened_at__gt=OuterRef("cycle__opened_at"))
    expiring = {decision.cycle_id: decision for decision in Decision.objects.filter(
        outcome__in=AWARD_OUTCOMES, valid_until__gte=today, valid_until__lte=horizon,
        cycle__state__in=CycleState.CONCLUDED,
    ).exclude(Exists(later))}
    cycles = list(with_people(Cycle.objects.filter(pk__in=expiring)))
    audiences = (Audience.LEAD, Audience.COMMISSIONER)
    people = People(cycles, audiences)
    deliveries = []
    for cycle in cycles:
        decision = expiring[cycle.pk]
        days = (decision.valid_until - today).days
        when = "last-month" if days <= LAST_MONTH_DAYS else "soon"
        notice = Notice(
            kind=kinds.AWARD_EXPIRING.code, key=f"award:{cycle.pk}:{decision.valid_until}:{when}",
            subject=_("%(service)s: the award expires soon") % {"service": cycle.service},
            template="award_expiring", cycle=cycle, facts=(Fact.DECISION,),
            context={"service": cycle.service, "valid_until": decision.valid_until, "in_words": weeks_or_months(days),
                     "outcome": decision.get_outcome_display(), "link": link("reports:report", cycle.pk)},
        )
        deliveries += _to(cycle, notice, audiences, people)
    return deliveries
