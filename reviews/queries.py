"""Scoped querysets and read models for review cycles. Every function here runs a fixed number
of queries, whatever the number of services, criteria or answers."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from reviews.models import Cycle, Evidence, Perspective, SelfRating, TeamMember
from standards.models import Criterion, RatedBy

RATERS = {
    Perspective.STAFF: (RatedBy.STAFF, RatedBy.BOTH),
    Perspective.MEMBERS: (RatedBy.MEMBERS, RatedBy.BOTH),
}
SERVICE_ROLES = (RoleKind.SERVICE_LEAD, RoleKind.STAFF, RoleKind.MEMBER, RoleKind.COMMISSIONER)


def cycles_visible_to(user):
    """Cycles of the services a person works in, uses or commissions, and those they review."""
    roles = roles_of(user)
    cycles = Cycle.objects.select_related("service__organisation", "edition__framework")
    if roles.is_network_admin:
        return cycles
    reviewing = TeamMember.objects.filter(user=user).values("visit__cycle_id")
    return cycles.filter(service_id__in=roles.service_ids(*SERVICE_ROLES)) | cycles.filter(pk__in=reviewing)


def criteria_for(edition, perspective):
    return (
        Criterion.objects.filter(edition=edition, rated_by__in=RATERS[perspective])
        .select_related("value")
        .order_by("value__order", "order")
    )


def evidence_visible_in(cycle, perspective):
    """Members see the evidence members added; staff and reviewers see it all."""
    evidence = Evidence.objects.filter(cycle=cycle).select_related("added_by")
    if perspective == Perspective.MEMBERS:
        evidence = evidence.filter(added_as=Perspective.MEMBERS)
    return evidence


@dataclass
class ValueProgress:
    value: object
    criteria: list
    ratings: dict

    @property
    def answered(self):
        return sum(1 for c in self.criteria if self.ratings.get(c.pk) and self.ratings[c.pk].is_answered)

    @property
    def total(self):
        return len(self.criteria)

    @property
    def status(self):
        if self.answered == 0:
            return "not_started"
        return "completed" if self.answered == self.total else "in_progress"

    @property
    def status_label(self):
        return {"not_started": _("Not started"), "in_progress": _("In progress"), "completed": _("Completed")}[
            self.status
        ]

    @property
    def last_saved(self):
        saved = [self.ratings[c.pk] for c in self.criteria if c.pk in self.ratings]
        return max(saved, key=lambda r: r.updated_at, default=None)


@dataclass
class Warning:
    criterion: object
    kind: str  # "unanswered", "no_reason" or "no_evidence"
    message: str
    blocking: bool


WARNING_GROUPS = {
    "unanswered": _("Not answered yet"),
    "no_reason": _("Not applicable, but no reason given"),
    "no_evidence": _("Rated at the top level with no evidence attached"),
}


@dataclass
class AnswerSheet:
    """One perspective's answers for a whole cycle, grouped by value, with what needs attention."""

    cycle: object
    perspective: str
    values: list = field(default_factory=list)  # ValueProgress, in order
    ratings: dict = field(default_factory=dict)  # criterion id → SelfRating

    @property
    def answered(self):
        return sum(v.answered for v in self.values)

    @property
    def total(self):
        return sum(v.total for v in self.values)

    @property
    def completed_values(self):
        return sum(1 for v in self.values if v.status == "completed")

    def rows(self):
        for progress in self.values:
            for criterion in progress.criteria:
                yield criterion, progress.ratings.get(criterion.pk)

    def warnings(self):
        found = []
        for criterion, rating in self.rows():
            if rating is None or not rating.is_answered:
                found.append(Warning(criterion, "unanswered", _("Not answered yet."), blocking=True))
            elif rating.not_applicable and not rating.not_applicable_reason.strip():
                found.append(
                    Warning(criterion, "no_reason", _("Not applicable, but no reason is given."), blocking=True)
                )
            elif rating.level_id and rating.level.value == self.top_level_value and not rating.evidence.all():
                message = _("Rated %(level)s with no evidence attached.") % {"level": rating.level.label}
                found.append(Warning(criterion, "no_evidence", message, blocking=False))
        return found

    def blocking_problems(self):
        return [w for w in self.warnings() if w.blocking]

    def warning_groups(self, warnings=None):
        """Warnings grouped by kind, most serious first: [(label, blocking, [warning, ...])]."""
        warnings = self.warnings() if warnings is None else warnings
        groups = []
        for kind, label in WARNING_GROUPS.items():
            members = [w for w in warnings if w.kind == kind]
            if members:
                groups.append((label, members[0].blocking, members))
        return groups

    def warnings_by_criterion(self):
        return {warning.criterion.pk: warning for warning in self.warnings()}

    top_level_value: int = 0


def answer_sheet(cycle, perspective):
    criteria = list(criteria_for(cycle.edition, perspective))
    ratings = {
        rating.criterion_id: rating
        for rating in SelfRating.objects.filter(cycle=cycle, perspective=perspective)
        .select_related("level", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("title")))
    }
    levels = list(cycle.edition.levels.order_by("value"))
    sheet = AnswerSheet(cycle, perspective, ratings=ratings, top_level_value=levels[-1].value if levels else 0)
    by_value = {}
    for criterion in criteria:
        by_value.setdefault(criterion.value_id, (criterion.value, []))[1].append(criterion)
    for value, value_criteria in by_value.values():
        sheet.values.append(ValueProgress(value, value_criteria, ratings))
    return sheet


# --- peer review ------------------------------------------------------------------------------

ACTIVE_STATES = ("open", "self_assessment_submitted", "visit", "ratings_agreed", "report_draft")


@dataclass
class Candidate:
    user: object
    places: list  # TeamRole values this person may take
    home_services: list
    other_region: bool
    current_visits: int


def eligible_reviewers(cycle):
    """People who may join this cycle's team, best first: from another region, then with the
    fewest visits under way, then by name. Nobody from the service itself, commissioning it, or
    with a declared conflict of interest is listed. Four queries, whatever the size of the network."""
    from assurance.models import Role, User  # noqa: PLC0415
    from reviews.models import ConflictOfInterest, TeamRole  # noqa: PLC0415

    place_for = {
        RoleKind.PEER_REVIEWER: TeamRole.PEER_REVIEWER,
        RoleKind.LIVED_EXPERIENCE_REVIEWER: TeamRole.LIVED_EXPERIENCE_REVIEWER,
        RoleKind.LEAD_REVIEWER: TeamRole.LEAD_REVIEWER,
    }
    roles = Role.objects.filter(user__is_active=True, user__roles__kind__in=list(place_for)).select_related(
        "service__region"
    ).distinct()
    by_user = {}
    for role in roles:
        entry = by_user.setdefault(role.user_id, {"places": set(), "services": [], "commissions": set()})
        if role.kind in place_for:
            entry["places"].add(place_for[role.kind])
        if role.service_id and role.kind != RoleKind.COMMISSIONER:
            entry["services"].append(role.service)
        elif role.kind == RoleKind.COMMISSIONER:
            entry["commissions"].add(role.service_id)
    conflicted = set(ConflictOfInterest.objects.filter(service=cycle.service).values_list("user_id", flat=True))
    on_team = set(TeamMember.objects.filter(visit__cycle=cycle).values_list("user_id", flat=True))
    visits = {
        row["user_id"]: row["n"]
        for row in TeamMember.objects.filter(visit__cycle__state__in=ACTIVE_STATES)
        .values("user_id")
        .annotate(n=models.Count("id"))
    }
    users = User.objects.in_bulk([uid for uid in by_user if uid not in conflicted | on_team])
    candidates = []
    for user_id, user in users.items():
        entry = by_user[user_id]
        tied = any(s.pk == cycle.service_id for s in entry["services"]) or cycle.service_id in entry["commissions"]
        if not entry["places"] or tied:
            continue
        candidates.append(
            Candidate(
                user=user,
                places=[p for p in TeamRole.values if p in entry["places"]],
                home_services=entry["services"],
                other_region=all(s.region_id != cycle.service.region_id for s in entry["services"]),
                current_visits=visits.get(user_id, 0),
            )
        )
    return sorted(candidates, key=lambda c: (not c.other_region, c.current_visits, c.user.last_name, c.user.first_name))


@dataclass
class GridRow:
    criterion: object
    staff: object  # SelfRating or None
    member: object  # SelfRating or None
    reviews: list  # PeerRating or None, in team order
    spread: object
    flags: object
    agreed: object  # AgreedRating or None


def counted_peer_ratings(cycle):
    """The reviewers' ratings everyone else may count: submitted ones (drafts stay the reviewer's
    own), or all of them when the cycle's reviewers rate openly."""
    from reviews.models import PeerRating  # noqa: PLC0415

    ratings = PeerRating.objects.filter(team_member__visit__cycle=cycle)
    if cycle.independent_ratings:
        ratings = ratings.filter(team_member__ratings_submitted_at__isnull=False)
    return ratings


def team_of(cycle):
    return list(
        TeamMember.objects.filter(visit__cycle=cycle).select_related("user").order_by("role", "user__last_name")
    )


def agreement_grid(cycle, team=None):
    """Every criterion with every view side by side: staff, members, each reviewer, the median,
    range and count, flags, and the agreed rating. Six queries, whatever the numbers."""
    from reviews.models import AgreedRating  # noqa: PLC0415
    from reviews.scoring import flags, spread  # noqa: PLC0415

    team = team if team is not None else team_of(cycle)
    criteria = list(
        Criterion.objects.filter(edition=cycle.edition).select_related("value").order_by("value__order", "order")
    )
    self_ratings = {
        (r.criterion_id, r.perspective): r
        for r in SelfRating.objects.filter(cycle=cycle).select_related("level")
    }
    peer = {
        (r.team_member_id, r.criterion_id): r
        for r in counted_peer_ratings(cycle).select_related("level")
    }
    agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=cycle).select_related("level", "agreed_by")}
    rows = []
    for criterion in criteria:
        staff = self_ratings.get((criterion.pk, Perspective.STAFF))
        member = self_ratings.get((criterion.pk, Perspective.MEMBERS))
        reviews = [peer.get((m.pk, criterion.pk)) for m in team]
        summary = spread([r.level.value if r and r.level_id else None for r in reviews])
        rows.append(
            GridRow(
                criterion=criterion,
                staff=staff,
                member=member,
                reviews=reviews,
                spread=summary,
                flags=flags(summary, _level_value(staff), _level_value(member)),
                agreed=agreed.get(criterion.pk),
            )
        )
    return rows


def _level_value(rating):
    return rating.level.value if rating is not None and rating.level_id else None


def decision_for(cycle):
    """The computed decision from the agreed ratings (see reviews.scoring)."""
    from reviews.models import AgreedRating  # noqa: PLC0415
    from reviews.scoring import CriterionResult, Rule, compute_decision  # noqa: PLC0415

    edition = cycle.edition
    levels = list(edition.levels.order_by("value"))
    rule = Rule(
        tier_thresholds=edition.tier_thresholds(),
        green_from=edition.rag_green_from,
        amber_from=edition.rag_amber_from,
        top_level=levels[-1].value if levels else 0,
        bottom_level=levels[0].value if levels else 0,
    )
    criteria = list(
        Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order")
    )
    agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=cycle).select_related("level")}
    results = [
        CriterionResult(
            code=c.code,
            value_code=c.value.code,
            tier=c.tier,
            level=agreed[c.pk].level.value if c.pk in agreed and agreed[c.pk].level_id else None,
            rated=c.pk in agreed,
        )
        for c in criteria
    ]
    value_names = {c.value.code: c.value.name for c in criteria}
    return compute_decision(results, rule, value_names)
