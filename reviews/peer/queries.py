"""Read models of the peer review: eligible reviewers, the ratings everyone may count, the
agreement grid, the computed decision, and the counts behind every percent met. Every function
here runs a fixed number of queries, whatever the size of the network or the edition."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce

from assurance.models import Role, RoleKind, User
from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact
from reviews.members.queries import cycle_members_voices
from reviews.peer.models import (
    ROLE_FOR_PLACE,
    ActionNote,
    AgreedRating,
    ConflictOfInterest,
    FindingKind,
    PeerRating,
    RatingChange,
    TeamMember,
    TeamRole,
    TimetableItem,
)
from reviews.peer.ties import tied_people
from reviews.scoring import CriterionResult, Rule, compute_decision, flags, spread
from reviews.selfassessment.models import Evidence, Perspective, SelfRating
from standards.models import Criterion
from standards.queries import top_levels


@dataclass
class Candidate:
    user: object
    places: list  # TeamRole values this person may take
    home_services: list
    other_region: bool
    current_visits: int


def eligible_reviewers(cycle):
    """People who may join this cycle's team, best first: from another region, then with the
    fewest visits under way, then by name. Nobody tied to the service (belonging to it or to
    another service of its organisation, commissioning it, or with a declared conflict of interest
    with it or its organisation) is listed. Six queries, whatever the size of the network."""
    place_for = {role: place for place, role in ROLE_FOR_PLACE.items()}
    roles = Role.objects.filter(user__is_active=True, user__roles__kind__in=list(place_for)).select_related(
        "service__region", "service__organisation"
    ).distinct()
    by_user = {}
    for role in roles:
        entry = by_user.setdefault(role.user_id, {"places": set(), "services": []})
        if role.kind in place_for:
            entry["places"].add(place_for[role.kind])
        if role.service_id and role.kind != RoleKind.COMMISSIONER and role.service not in entry["services"]:
            entry["services"].append(role.service)
    excluded = tied_people(cycle.service)
    excluded |= set(TeamMember.objects.filter(visit__cycle=cycle).values_list("user_id", flat=True))
    visits = {
        row["user_id"]: row["n"]
        for row in TeamMember.objects.filter(visit__cycle__state__in=CycleState.BEFORE_FINAL)
        .values("user_id")
        .annotate(n=models.Count("id"))
    }
    users = User.objects.in_bulk([uid for uid in by_user if uid not in excluded])
    candidates = []
    for user_id, user in users.items():
        entry = by_user[user_id]
        if not entry["places"]:
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
    member: object  # MembersVoice (reviews.members.queries), or None: no answers, or not shown
    reviews: list  # PeerRating or None, in team order
    spread: object
    flags: object
    agreed: object  # AgreedRating or None


# The reviewers' ratings everyone else may count: submitted ones (drafts stay the reviewer's own),
# or all of them where the cycle's reviewers rate openly. Pages, reports and exports all count these.
COUNTED = Q(team_member__ratings_submitted_at__isnull=False) | Q(team_member__visit__cycle__independent_ratings=False)


def counted_peer_ratings(*cycles):
    """The ratings of these cycles (objects or ids) that count for everyone but their author."""
    return PeerRating.objects.filter(team_member__visit__cycle__in=cycles).filter(COUNTED)


def drafts_among(rating_ids):
    """Of these peer ratings, the ones still a reviewer's own draft (not yet counted for anyone)."""
    ids = [int(pk) for pk in rating_ids if str(pk).isdigit()]
    return PeerRating.objects.filter(pk__in=ids).exclude(COUNTED).values_list("pk", flat=True)


def team_of(cycle):
    return list(
        TeamMember.objects.filter(visit__cycle=cycle).select_related("user").order_by("role", "user__last_name")
    )


def agreement_grid(cycle, team=None, disclosed=None, code=None):
    """Every criterion with every view side by side: staff, members, each reviewer, the median,
    range and count, flags, and the agreed rating. Eight queries, whatever the numbers. With
    `code`, only that criterion's row (none when the edition has no such criterion).

    With `disclosed`, the grid is this reader's: a voice they may not see is left empty, and the
    flags are worked out only from what they see."""
    team = team if team is not None else team_of(cycle)
    shown = _voices_shown(disclosed)
    criteria = Criterion.objects.filter(edition=cycle.edition).select_related("value").order_by("value__order", "order")
    criteria = list(criteria.filter(code=code) if code is not None else criteria)
    of_criteria = {"criterion__in": criteria} if code is not None else {}
    self_ratings = {
        (r.criterion_id, r.perspective): r
        for r in SelfRating.objects.filter(cycle=cycle, perspective=Perspective.STAFF, **of_criteria)
        .select_related("level")
    }
    voices = cycle_members_voices(cycle, of_criteria.get("criterion__in")) if shown["members"] else {}
    peer = {
        (r.team_member_id, r.criterion_id): r
        for r in counted_peer_ratings(cycle).filter(**of_criteria).select_related("level")
    }
    agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=cycle, **of_criteria)
              .select_related("level", "agreed_by")}
    rows = []
    for criterion in criteria:
        staff = self_ratings.get((criterion.pk, Perspective.STAFF)) if shown["staff"] else None
        member = voices.get(criterion.pk)
        reviews = [peer.get((m.pk, criterion.pk)) for m in team]
        summary = spread([r.level.value if r and r.level_id else None for r in reviews])
        rows.append(
            GridRow(
                criterion=criterion,
                staff=staff,
                member=member,
                reviews=reviews,
                spread=summary,
                flags=flags(summary, _level_value(staff), member.level if member else None),
                agreed=agreed.get(criterion.pk) if shown["agreed"] else None,
            )
        )
    return rows


def criterion_codes(edition_id):
    """The codes of the edition's criteria, in the grid's order."""
    criteria = Criterion.objects.filter(edition=edition_id).order_by("value__order", "order")
    return list(criteria.values_list("code", flat=True))


def agreed_codes(cycle, disclosed):
    """The codes of the criteria with an agreed rating, as far as this reader may see them."""
    if not _voices_shown(disclosed)["agreed"]:
        return set()
    return set(AgreedRating.objects.filter(cycle=cycle).values_list("criterion__code", flat=True))


def _voices_shown(disclosed):
    if disclosed is None:
        return {"staff": True, "members": True, "agreed": True}
    return {
        "staff": Fact.STAFF_RATINGS in disclosed,
        "members": Fact.MEMBER_COUNTS in disclosed,
        "agreed": Fact.AGREED_RATINGS in disclosed,
    }


def _level_value(rating):
    return rating.level.value if rating is not None and rating.level_id else None


def decision_for(cycle, grid=None):
    """The computed decision from the agreed ratings (see reviews.scoring); from the rows of the
    cycle's whole agreement grid when the caller has read it already."""
    edition = cycle.edition
    rule = Rule(
        tier_thresholds=edition.tier_thresholds(),
        green_from=edition.rag_green_from,
        amber_from=edition.rag_amber_from,
        top_level=edition.top_level,
        bottom_level=edition.bottom_level,
    )
    if grid is None:
        criteria = Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order")
        agreed = {a.criterion_id: a for a in AgreedRating.objects.filter(cycle=cycle).select_related("level")}
        rows = [(criterion, agreed.get(criterion.pk)) for criterion in criteria]
    else:
        rows = [(row.criterion, row.agreed) for row in grid]
    results = [
        CriterionResult(
            code=c.code,
            value_code=c.value.code,
            tier=c.tier,
            level=agreed.level.value if agreed and agreed.level_id else None,
            rated=agreed is not None,
        )
        for c, agreed in rows
    ]
    value_names = {c.value.code: c.value.name for c, _agreed in rows}
    return compute_decision(results, rule, value_names)


# --- counting agreed ratings --------------------------------------------------------------------


def met_counts(met_levels):
    """The one annotation behind every percent met of agreed ratings: `met` counts ratings at the
    top level (met_levels: the top levels' ids, a list or standards.queries.top_levels), and
    `applicable` all but Not applicable. scoring.percent_met turns the two into a percentage."""
    return {
        "met": Count("pk", filter=Q(level_id__in=met_levels)),
        "applicable": Count("pk", filter=Q(not_applicable=False)),
    }


def agreed_counts(cycle_ids, *by, met_levels=None):
    """Met and applicable agreed ratings of these cycles, per group of the `by` fields, in one
    query. It filters by cycle and level ids rather than joining cycles and levels: over a network
    of a thousand reviews (fifty thousand ratings) that is what keeps every report fast. Without
    met_levels (cycles of several editions), each edition's top level is found inside the query."""
    if met_levels is None:
        met_levels = top_levels(Cycle.objects.filter(pk__in=cycle_ids).values("edition"))
    return (
        AgreedRating.objects.filter(cycle_id__in=cycle_ids).values(*by).annotate(**met_counts(met_levels)).order_by()
    )


# --- what the peer-review pages read ------------------------------------------------------------


def rating_progress(place):
    """A reviewer's progress per value: [{"value", "total", "done"}], in the edition's order."""
    ratings = {rating.criterion_id: rating for rating in place.ratings.all()}
    edition = place.visit.cycle.edition
    progress = {}
    for criterion in edition.criteria.select_related("value").order_by("value__order", "order"):
        entry = progress.setdefault(criterion.value_id, {"value": criterion.value, "total": 0, "done": 0})
        entry["total"] += 1
        entry["done"] += bool(criterion.pk in ratings and ratings[criterion.pk].is_answered)
    return list(progress.values())


def own_ratings(place, criteria):
    """{criterion id: the reviewer's own rating} for these criteria."""
    return {rating.criterion_id: rating for rating in PeerRating.objects.filter(team_member=place, criterion__in=criteria)}


def self_answers(cycle, criteria, perspectives):
    """{(criterion id, perspective): the service's answer, with its evidence} for these criteria."""
    answers = (
        SelfRating.objects.filter(cycle=cycle, criterion__in=criteria, perspective__in=perspectives)
        .select_related("level")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("title")))
    )
    return {(answer.criterion_id, answer.perspective): answer for answer in answers}


def others_ratings(cycle, criteria, user):
    """{criterion id: [the other reviewers' counted ratings]} for these criteria."""
    others = {}
    ratings = counted_peer_ratings(cycle).filter(criterion__in=criteria).exclude(team_member__user=user)
    for rating in ratings.select_related("level", "team_member__user"):
        others.setdefault(rating.criterion_id, []).append(rating)
    return others


def has_carried_actions(cycle):
    return cycle.actions.filter(carried_from__isnull=False).exists()


def timetable_item(cycle, pk):
    return TimetableItem.objects.filter(pk=pk, visit__cycle=cycle).select_related("visit").first()


def team_member_of(cycle, pk):
    return TeamMember.objects.filter(pk=pk, visit__cycle=cycle).select_related("user").first()


def user_or_none(pk):
    return User.objects.filter(pk=pk).first()


def conflicts_declared_by(user):
    """A person's conflicts of interest, with a whole organisation or one service, by name."""
    return ConflictOfInterest.objects.filter(user=user).select_related("service__organisation", "organisation").order_by(
        Coalesce("organisation__name", "service__name"), "pk")


# Each kind of finding and the fact of the disclosure policy it is.
FINDING_FACTS = {
    FindingKind.STRENGTH: Fact.STRENGTHS,
    FindingKind.DEVELOPMENT: Fact.DEVELOPMENT,
    FindingKind.URGENT: Fact.URGENT_CONCERNS,
}


def findings_of(cycle, *, as_queryset=False):
    findings = cycle.findings.select_related("criterion", "created_by", "acknowledged_by", "escalated_by")
    return findings if as_queryset else list(findings)


def disclosed_findings(cycle, disclosed):
    """The cycle's findings this reader may see: each kind as the policy says, and of the urgent
    concerns, where only escalated ones are disclosed, only those."""
    kinds = [kind for kind, fact in FINDING_FACTS.items() if fact in disclosed]
    findings = findings_of(cycle, as_queryset=True)
    shown = Q(kind__in=kinds)
    if Fact.ESCALATED_URGENT_CONCERNS in disclosed:
        shown |= Q(kind=FindingKind.URGENT, escalated_at__isnull=False)
    return list(findings.filter(shown))


def disclosed_actions(cycle, disclosed):
    """The cycle's action plan as this reader may see it: all of it, only the actions carried over
    into it from the last final review, or none."""
    actions = cycle.actions.select_related("criterion", "finding", "carried_from__cycle").order_by("due_date", "pk")
    if Fact.ACTIONS in disclosed:
        return actions
    if Fact.CARRIED_ACTIONS in disclosed:
        return actions.filter(carried_from__isnull=False)
    return actions.none()


def notes_on(action):
    return ActionNote.objects.filter(action=action).select_related("by")


def agreed_ratings_of(cycle):
    """The cycle's agreed ratings in the edition's order."""
    return AgreedRating.objects.filter(cycle=cycle).select_related("criterion__value", "level").order_by(
        "criterion__value__order", "criterion__order"
    )


def accuracy_comments_of(cycle, *, as_queryset=False):
    comments = cycle.accuracy_comments.select_related("criterion", "finding", "by", "responded_by")
    return comments if as_queryset else list(comments)


def unanswered_comments(cycle):
    return cycle.accuracy_comments.filter(responded_at__isnull=True)


def feedback_on(cycle):
    return cycle.feedback.select_related("given_by")


# --- changes after the draft report -------------------------------------------------------------


def changes_of(cycle, disclosed):
    """The changes to agreed ratings and findings after the draft report that this reader may see,
    oldest first: none without Fact.CHANGES, and a finding's only when that finding is disclosed.
    Two queries."""
    if Fact.CHANGES not in disclosed:
        return []
    shown = Q(finding_id__in=[finding.pk for finding in disclosed_findings(cycle, disclosed)])
    if Fact.AGREED_RATINGS in disclosed:
        shown |= Q(criterion__isnull=False)
    return list(
        RatingChange.objects.filter(cycle=cycle).filter(shown)
        .select_related("criterion", "finding", "from_level", "to_level", "by").order_by("at", "pk")
    )
