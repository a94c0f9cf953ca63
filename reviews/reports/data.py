"""The data of a service report, gathered in a fixed number of queries and returned as plain
values (JSON-ready), so that it can be hashed: a report's hash says exactly what it was built from."""

import hashlib
import json

from django.utils import timezone

from reviews.cycles.models import Cycle
from reviews.decisions.models import AppealStatus, FollowUpStatus
from reviews.peer.models import FindingKind, RatingChange
from reviews.peer.queries import agreement_grid, decision_for, team_of
from reviews.peer.services.outcomes import same_words
from reviews.reports.figures import network_comparison, trend
from reviews.reports.members import members_data, voice_data
from reviews.scoring import Tally
from reviews.selfassessment.models import SelfRating


def data_hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _date(value):
    return value.isoformat() if value else None


def service_report_data(cycle):
    """Everything the service report shows, from the database, as plain values."""
    cycle = Cycle.objects.select_related("service__organisation", "service__sector", "service__region",
                                         "edition__framework", "decision", "visit").get(pk=cycle.pk)
    edition = cycle.edition
    levels = edition.rating_levels
    team = team_of(cycle)
    grid = agreement_grid(cycle, team)
    computed = decision_for(cycle, grid)
    decision = getattr(cycle, "decision", None)
    visit = getattr(cycle, "visit", None)
    evidence = _evidence_titles(cycle)
    values = _values(grid, evidence, levels)
    return {
        "service": {
            "name": cycle.service.name,
            "organisation": cycle.service.organisation.name,
            "sector": cycle.service.sector.name,
            "region": cycle.service.region.name,
        },
        "cycle": {
            "id": cycle.pk,
            "state": cycle.state,
            "state_label": str(cycle.get_state_display()),
            "opened": _date(cycle.opened_at.date()),
            "submitted": _date(cycle.submitted_at.date() if cycle.submitted_at else None),
            "final": cycle.is_concluded,
        },
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "levels": [{"value": level.value, "label": level.label} for level in levels],
        "thresholds": {str(tier): threshold for tier, threshold in edition.tier_thresholds().items()},
        "rag_cut_offs": {"green": edition.rag_green_from, "amber": edition.rag_amber_from},
        "visit": {
            "date": _date(visit.date) if visit else None,
            "team": [{"name": str(m.user), "role": str(m.get_role_display())} for m in team],
        },
        "decision": {
            "outcome": str(decision.get_outcome_display()),
            "rationale": decision.rationale,
            "valid_until": _date(decision.valid_until),
            "recorded": _date(decision.recorded_at.date()),
            "award_state": decision.award_state(),
            "appeal": _appeal(cycle),
            "follow_up": _follow_up(cycle),
        } if decision else None,
        "computed": _computed(computed),
        "values": values,
        "by_value": _percent_met_by_value(edition, grid),
        "members": members_data(cycle, values),
        "findings": _findings(cycle),
        "actions": _actions(cycle),
        "changes": _changes(cycle),
        "network": network_comparison(edition, cycle),
        "trend": trend(cycle),
    }


def _appeal(cycle):
    """Where an appeal against the decision stands: the open one, else the last decided, or None."""
    appeal = cycle.appeals.exclude(status=AppealStatus.WITHDRAWN).order_by("-lodged_at", "-pk").first()
    if appeal is None:
        return None
    return {
        "status": appeal.status,
        "result": appeal.result,
        "earlier_outcome": str(appeal.get_earlier_outcome_display()),
        "new_outcome": str(appeal.get_new_outcome_display()) if appeal.new_outcome else "",
        "lodged": _date(timezone.localdate(appeal.lodged_at)),
        "decided": _date(timezone.localdate(appeal.decided_at)) if appeal.decided_at else None,
    }


def _follow_up(cycle):
    """Where follow-up reviews of the decision stand: the open one's due date, and how many were
    decided (each one re-made the decision), the last on which day."""
    follow_ups = list(cycle.follow_ups.order_by("opened_at", "pk"))
    still_open = [f for f in follow_ups if f.status != FollowUpStatus.DECIDED]
    decided = [f for f in follow_ups if f.status == FollowUpStatus.DECIDED]
    return {
        "open_due": _date(still_open[-1].due_on) if still_open else None,
        "decided": len(decided),
        "last_decided": _date(timezone.localdate(decided[-1].decided_at)) if decided and decided[-1].decided_at else None,
    }


RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}


def _rag_label(value):
    if value.rag in RAG_LABELS:
        return RAG_LABELS[value.rag]
    return "Not yet rated" if value.tally.unrated else "Not applicable"


def _computed(computed):
    return {
        "overall": _tally(computed.overall),
        "complete": computed.complete,
        "recommended": computed.recommended,
        "tiers": [
            {"tier": t.tier, "threshold": t.threshold, "passes": t.passes, **_tally(t.tally)} for t in computed.tiers
        ],
        "values": [
            {"code": v.code, "name": v.name, "rag": v.rag, "rag_label": _rag_label(v), "reason": v.rag_reason,
             **_tally(v.tally)}
            for v in computed.values
        ],
    }


def _tally(tally):
    return {
        "met": tally.met,
        "partly": tally.partly,
        "not_met": tally.not_met,
        "not_applicable": tally.not_applicable,
        "unrated": tally.unrated,
        "applicable": tally.applicable,
        "agreed": tally.applicable + tally.not_applicable,
        "total": tally.applicable + tally.not_applicable + tally.unrated,
        "percent_met": tally.percent_met,
        "percent_partly": tally.percent_partly,
    }


def _answer(rating, evidence=None):
    if rating is None:
        return None
    if rating.not_applicable:
        label = "Not applicable"
    elif rating.level_id:
        label = rating.level.label
    else:
        label = None
    return {
        "label": label,
        "reason": getattr(rating, "not_applicable_reason", ""),
        "narrative": getattr(rating, "narrative", ""),
        "evidence": evidence or [],
    }


def _evidence_titles(cycle):
    titles = {}
    through = SelfRating.evidence.through.objects.filter(selfrating__cycle=cycle).select_related("evidence")
    for link in through.order_by("evidence__title"):
        titles.setdefault(link.selfrating_id, []).append(link.evidence.title)
    return titles


def _values(grid, evidence, levels):
    values = []
    for row in grid:
        criterion = row.criterion
        if not values or values[-1]["code"] != criterion.value.code:
            values.append({"code": criterion.value.code, "name": criterion.value.name, "criteria": []})
        flags = []
        if row.flags.reviewers_disagree:
            flags.append("Reviewers disagreed")
        if row.flags.self_and_peers_differ:
            flags.append("Self and peers differ")
        if row.flags.members_and_peers_differ:
            flags.append("Members and peers differ")
        values[-1]["criteria"].append({
            "code": criterion.code,
            "statement": criterion.statement,
            "tier": criterion.tier,
            "rated_by": criterion.rated_by,
            "staff": _answer(row.staff, evidence.get(row.staff.pk) if row.staff else None),
            "member": voice_data(row.member, levels),
            "reviewers": {
                "count": row.spread.count,
                "median": row.spread.median,
                "low": row.spread.low,
                "high": row.spread.high,
                "abstained": sum(1 for r in row.reviews if r and r.abstained),
            },
            # Sorted, so that their order says nothing of who wrote which (the team is listed on the cover).
            "comments": sorted(r.comment for r in row.reviews if r and r.comment),
            "agreed": {
                "label": "Not applicable" if row.agreed.not_applicable else row.agreed.level.label,
                "rationale": row.agreed.rationale,
            } if row.agreed else None,
            "flags": flags,
        })
    return values


def _percent_met_by_value(edition, grid):
    """Percent met per value in the staff's own ratings and in the agreed ones. (The members'
    voice is not a percent met: it has its own chart of shares, see members.py.)"""
    series = {"staff": {}, "agreed": {}}
    order = []
    for row in grid:
        code = row.criterion.value.code
        if code not in order:
            order.append(code)
        for name, rating in (("staff", row.staff), ("agreed", row.agreed)):
            tally = series[name].setdefault(code, Tally())
            if rating is None or not (rating.level_id or rating.not_applicable):
                continue
            if rating.not_applicable:
                tally.add("not_applicable")
            else:
                tally.add("met" if rating.level.value >= edition.top_level else "not_met")
    names = {row.criterion.value.code: row.criterion.value.name for row in grid}
    return [
        {
            "code": code,
            "name": names[code],
            "staff": series["staff"][code].percent_met,
            "agreed": series["agreed"][code].percent_met,
        }
        for code in order
    ]


def _findings(cycle):
    grouped = {"strength": [], "development": [], "urgent": []}
    for finding in cycle.findings.select_related("criterion").order_by("created_at", "pk"):
        grouped[finding.kind].append({
            "text": finding.text,
            "criterion": finding.criterion.code if finding.criterion else None,
            "escalated": finding.is_escalated,
        })
    return {
        "strengths": grouped[FindingKind.STRENGTH],
        "development": grouped[FindingKind.DEVELOPMENT],
        "urgent": grouped[FindingKind.URGENT],
    }


def _actions(cycle):
    """The action plan. An action carried over from the last review that this review's plan takes
    up again (the same words) is one action: as agreed now, marked as carried over, with what it
    was before for readers who see only the carried-over actions."""
    actions = list(cycle.actions.select_related("criterion", "carried_from__cycle").order_by("due_date", "pk"))
    carried = {same_words(a.description): a for a in actions if a.carried_from_id is not None}
    renewing = {}
    for action in actions:
        earlier = carried.get(same_words(action.description))
        if action.carried_from_id is None and earlier is not None and earlier.pk not in renewing:
            renewing[earlier.pk] = action
    renewed = {action.pk: earlier_pk for earlier_pk, action in renewing.items()}
    by_pk = {action.pk: action for action in actions}
    # the carried-over action is listed once, where this review's plan takes it up
    return [_action(action, by_pk.get(renewed.get(action.pk))) for action in actions if action.pk not in renewing]



def _action(action, earlier=None):
    """One action; `earlier`: the carried-over action it takes up again."""
    source = earlier or action
    return _action_fields(action) | {
        "criterion": action.criterion.code if action.criterion else None,
        "carried": source.carried_from_id is not None,
        "carried_from": _date(timezone.localdate(source.carried_from.cycle.opened_at))
        if source.carried_from_id else None,
        "earlier": _action_fields(earlier) if earlier else None,
    }


def _action_fields(action):
    return {
        "description": action.description,
        "owner": action.owner,
        "due": _date(action.due_date),
        "status": str(action.get_status_display()),
        "overdue": action.is_overdue,
    }


def _changes(cycle):
    """What changed after the draft report (after a comment on accuracy or a follow-up review)."""
    changes = RatingChange.objects.filter(cycle=cycle).select_related("criterion", "finding", "from_level", "to_level")
    return [
        {
            "criterion": change.criterion.code if change.criterion_id else None,
            "finding": {
                "kind": change.finding.kind,
                "kind_label": str(change.finding.get_kind_display()),
                "escalated": change.finding.is_escalated,
            } if change.finding_id else None,
            "from": str(change.from_label) if change.criterion_id else change.from_text,
            "to": str(change.to_label) if change.criterion_id else change.to_text,
            "reason": change.reason,
            "source": str(change.get_source_display()),
            "date": _date(change.at.date()),
        }
        for change in changes.order_by("at", "pk")
    ]
