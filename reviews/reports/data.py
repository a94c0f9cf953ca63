"""The data of a report, gathered in a fixed number of queries and returned as plain values
(JSON-ready), so that it can be hashed: a report's hash says exactly what it was built from."""

import hashlib
import json
from statistics import median, quantiles

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from reviews.models import (
    ActionStatus,
    AgreedRating,
    Cycle,
    CycleState,
    FindingKind,
    SelfRating,
)
from reviews.queries import agreement_grid, decision_for, team_of
from reviews.scoring import Tally, rag_colour

# Cycles whose agreed ratings are settled, so that they count in network comparisons and trends.
SETTLED = (CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL, CycleState.CLOSED)
NETWORK_MINIMUM = 5  # services needed before a network comparison is shown, so nobody is identifiable


def data_hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _date(value):
    return value.isoformat() if value else None


def service_report_data(cycle):
    """Everything the service report shows, from the database, as plain values."""
    cycle = Cycle.objects.select_related("service__organisation", "service__sector", "service__region",
                                         "edition__framework").get(pk=cycle.pk)
    edition = cycle.edition
    levels = list(edition.levels.order_by("value"))
    team = team_of(cycle)
    grid = agreement_grid(cycle, team)
    computed = decision_for(cycle)
    decision = getattr(cycle, "decision", None)
    visit = getattr(cycle, "visit", None)
    evidence = _evidence_titles(cycle)
    values = _values(grid, evidence)
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
            "final": cycle.state in (CycleState.FINAL, CycleState.CLOSED),
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
        } if decision else None,
        "computed": _computed(computed),
        "values": values,
        "by_value": _percent_met_by_value(cycle, levels, grid),
        "findings": _findings(cycle),
        "actions": _actions(cycle),
        "network": network_comparison(edition, cycle, levels),
        "trend": trend(cycle),
    }


def _computed(computed):
    return {
        "overall": _tally(computed.overall),
        "complete": computed.complete,
        "recommended": computed.recommended,
        "tiers": [
            {"tier": t.tier, "threshold": t.threshold, "passes": t.passes, **_tally(t.tally)} for t in computed.tiers
        ],
        "values": [
            {"code": v.code, "name": v.name, "rag": v.rag, "reason": v.rag_reason, **_tally(v.tally)}
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


def _values(grid, evidence):
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
            "member": _answer(row.member),
            "reviewers": {
                "count": row.spread.count,
                "median": row.spread.median,
                "low": row.spread.low,
                "high": row.spread.high,
                "abstained": sum(1 for r in row.reviews if r and r.abstained),
            },
            "comments": [r.comment for r in row.reviews if r and r.comment],
            "agreed": {
                "label": "Not applicable" if row.agreed.not_applicable else row.agreed.level.label,
                "rationale": row.agreed.rationale,
            } if row.agreed else None,
            "flags": flags,
        })
    return values


def _percent_met_by_value(cycle, levels, grid):
    """Percent met per value in each voice: staff self, members, and agreed."""
    rule_top = levels[-1].value if levels else 0
    series = {"staff": {}, "members": {}, "agreed": {}}
    order = []
    for row in grid:
        code = row.criterion.value.code
        if code not in order:
            order.append(code)
        for name, rating in (("staff", row.staff), ("members", row.member), ("agreed", row.agreed)):
            tally = series[name].setdefault(code, Tally())
            if rating is None or not (rating.level_id or rating.not_applicable):
                continue
            if rating.not_applicable:
                tally.add("not_applicable")
            else:
                tally.add("met" if rating.level.value >= rule_top else "not_met")
    names = {row.criterion.value.code: row.criterion.value.name for row in grid}
    return [
        {
            "code": code,
            "name": names[code],
            "staff": series["staff"][code].percent_met,
            "members": series["members"][code].percent_met,
            "agreed": series["agreed"][code].percent_met,
        }
        for code in order
    ]


def _findings(cycle):
    grouped = {"strength": [], "development": [], "urgent": []}
    for finding in cycle.findings.select_related("criterion").order_by("created_at", "pk"):
        grouped[finding.kind].append({"text": finding.text, "criterion": finding.criterion.code if finding.criterion else None})
    return {
        "strengths": grouped[FindingKind.STRENGTH],
        "development": grouped[FindingKind.DEVELOPMENT],
        "urgent": grouped[FindingKind.URGENT],
    }


def _actions(cycle):
    today = timezone.localdate()
    return [
        {
            "description": action.description,
            "owner": action.owner,
            "due": _date(action.due_date),
            "status": str(action.get_status_display()),
            "overdue": action.due_date < today and action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
            "criterion": action.criterion.code if action.criterion else None,
            "carried": action.carried_from_id is not None,
        }
        for action in cycle.actions.select_related("criterion").order_by("due_date", "pk")
    ]


def percent_met_by_cycle_and_value(edition, top_level, cycles=None):
    """{cycle id: {value code: percent met}} for settled cycles of the edition, in two queries.

    It filters by cycle and level ids rather than joining cycles and levels: over a network of a
    thousand reviews (fifty thousand ratings) that is what makes it fast enough for every report."""
    from standards.models import RatingLevel, Value  # noqa: PLC0415

    if cycles is None:
        cycles = Cycle.objects.filter(edition=edition, state__in=SETTLED).values_list("pk", flat=True)
    met_levels = list(RatingLevel.objects.filter(edition=edition, value__gte=top_level).values_list("pk", flat=True))
    codes = dict(Value.objects.filter(edition=edition).values_list("pk", "code"))
    rows = (
        AgreedRating.objects.filter(cycle_id__in=list(cycles))
        .values("cycle_id", "criterion__value_id")
        .annotate(
            met=Count("id", filter=Q(level_id__in=met_levels)),
            applicable=Count("id", filter=Q(not_applicable=False)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        if row["applicable"]:
            result.setdefault(row["cycle_id"], {})[codes[row["criterion__value_id"]]] = round(
                100 * row["met"] / row["applicable"], 1
            )
    return result


def latest_settled_cycles(edition):
    """The latest settled cycle of each service in the edition."""
    latest = {}
    for cycle_id, service_id in (
        Cycle.objects.filter(edition=edition, state__in=SETTLED).order_by("opened_at", "pk").values_list("pk", "service_id")
    ):
        latest[service_id] = cycle_id
    return list(latest.values())


def network_comparison(edition, cycle, levels):
    """Per value: this service's percent met against the network's median and interquartile
    range. None unless at least NETWORK_MINIMUM services have agreed ratings; never names others."""
    network = network_spread(edition, levels)
    if network is None:
        return None
    top = levels[-1].value if levels else 0
    own = percent_met_by_cycle_and_value(edition, top, [cycle.pk]).get(cycle.pk, {}) if cycle else {}
    return {
        "services": network["services"],
        "values": [{**row, "service": own.get(row["code"])} for row in network["values"]],
    }


def _quartiles(points):
    """The lower and upper quartiles of sorted points (the middle half lies between them)."""
    if len(points) == 1:
        return points[0], points[0]
    q1, _median, q3 = quantiles(points, n=4, method="inclusive")
    return q1, q3


def network_spread(edition, levels):
    """The network's median and middle half per value. The same for every service report of the
    edition, so it is cached until the set of settled reviews changes (a new settled review, or a
    change of stage): over a thousand reviews it is the costliest query of a report."""
    state = (
        Cycle.objects.filter(edition=edition, state__in=SETTLED)
        .aggregate(n=Count("id"), last=Max("id"), moved=Max("events__id"))
    )
    key = f"network-spread:{edition.pk}:{state['n']}:{state['last']}:{state['moved']}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    cycles = latest_settled_cycles(edition)
    result = {}
    if len(cycles) >= NETWORK_MINIMUM:
        top = levels[-1].value if levels else 0
        by_cycle = percent_met_by_cycle_and_value(edition, top, cycles)
        rows = []
        for code, name in edition.values.order_by("order").values_list("code", "name"):
            points = sorted(v[code] for v in by_cycle.values() if code in v)
            if not points:
                continue
            q1, q3 = _quartiles(points)
            rows.append({"code": code, "name": name, "median": round(median(points), 1), "q1": round(q1, 1),
                         "q3": round(q3, 1)})
        result = {"services": len(cycles), "values": rows}
    cache.set(key, result, timeout=24 * 60 * 60)
    return result or None


def trend(cycle):
    """Percent met overall in this service's settled cycles, oldest first, with this one last."""
    cycles = list(
        Cycle.objects.filter(service=cycle.service_id)
        .filter(Q(state__in=SETTLED) | Q(pk=cycle.pk))
        .select_related("edition")
        .order_by("opened_at", "pk")
    )
    counts = {
        row["cycle_id"]: row
        for row in AgreedRating.objects.filter(cycle__in=cycles)
        .values("cycle_id")
        .annotate(
            met=Count("id", filter=Q(level__value__gte=_top_level_expression())),
            applicable=Count("id", filter=Q(not_applicable=False)),
        )
    }
    points = []
    for item in cycles:
        row = counts.get(item.pk)
        percent = round(100 * row["met"] / row["applicable"], 1) if row and row["applicable"] else None
        points.append({"label": item.opened_at.strftime("%b %Y"), "edition": item.edition.version,
                       "percent_met": percent, "current": item.pk == cycle.pk})
    return points


def _top_level_expression():
    """The top level's value of each rating's own edition (editions may differ across cycles)."""
    from django.db.models import Max, OuterRef, Subquery  # noqa: PLC0415

    from standards.models import RatingLevel  # noqa: PLC0415

    top = RatingLevel.objects.filter(edition=OuterRef("cycle__edition")).values("edition").annotate(m=Max("value"))
    return Subquery(top.values("m")[:1])



# --- the network report -----------------------------------------------------------------------


def anonymous_code(service):
    """A stable code that does not name the service: the same in every report."""
    return "S-" + hashlib.sha256(f"service:{service.pk}:{service.slug}".encode()).hexdigest()[:5].upper()


def network_report_data(edition, year, *, names=False):
    """The network report for an edition and a year: settled reviews opened that year, the
    latest for each service. A fixed number of queries, whatever the size of the network."""
    from reviews.models import Action, Decision  # noqa: PLC0415
    from standards.models import Criterion  # noqa: PLC0415

    levels = list(edition.levels.order_by("value"))
    top = levels[-1].value if levels else 0
    latest = {}
    for cycle in (
        Cycle.objects.filter(edition=edition, state__in=SETTLED, opened_at__year=year)
        .select_related("service__sector", "service__region")
        .order_by("opened_at", "pk")
    ):
        latest[cycle.service_id] = cycle
    cycles = list(latest.values())
    ids = [c.pk for c in cycles]
    by_value = percent_met_by_cycle_and_value(edition, top, ids)
    overall = {
        row["cycle_id"]: round(100 * row["met"] / row["applicable"], 1) if row["applicable"] else None
        for row in AgreedRating.objects.filter(cycle__in=ids).values("cycle_id").annotate(
            met=Count("id", filter=Q(level__value__gte=top, not_applicable=False)),
            applicable=Count("id", filter=Q(not_applicable=False)),
        )
    }
    per_criterion = {
        row["criterion_id"]: row
        for row in AgreedRating.objects.filter(cycle__in=ids).values("criterion_id").annotate(
            met=Count("id", filter=Q(level__value__gte=top, not_applicable=False)),
            applicable=Count("id", filter=Q(not_applicable=False)),
        )
    }
    criteria = list(Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order"))
    value_rows = list(edition.values.order_by("order").values_list("code", "name"))
    criterion_rows = []
    for criterion in criteria:
        counts = per_criterion.get(criterion.pk, {"met": 0, "applicable": 0})
        percent = round(100 * counts["met"] / counts["applicable"], 1) if counts["applicable"] else None
        criterion_rows.append({"code": criterion.code, "value": criterion.value.name, "statement": criterion.statement,
                               "tier": criterion.tier, "services": counts["applicable"], "percent_met": percent})
    ranked = [row for row in criterion_rows if row["percent_met"] is not None]
    ranked.sort(key=lambda row: (row["percent_met"], row["code"]))
    services = sorted(
        (
            {
                "label": c.service.name if names else anonymous_code(c.service),
                "sector": c.service.sector.name,
                "region": c.service.region.name,
                "overall": overall.get(c.pk),
                "values": [by_value.get(c.pk, {}).get(code) for code, _name in value_rows],
            }
            for c in cycles
        ),
        key=lambda row: (-(row["overall"] or 0), row["label"]),
    )
    outcomes = dict(Decision.objects.filter(cycle__in=ids).values_list("outcome").annotate(n=Count("id")))
    last_year = dict(
        Action.objects.filter(cycle__service__in=latest.keys(), cycle__opened_at__year=year - 1)
        .values_list("status").annotate(n=Count("id"))
    )
    value_summary = []
    for index, (code, name) in enumerate(value_rows):
        points = sorted(s["values"][index] for s in services if s["values"][index] is not None)
        value_summary.append({"code": code, "name": name, "median": round(median(points), 1) if points else None,
                              "low": points[0] if points else None, "high": points[-1] if points else None})
    return {
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "year": year,
        "value_summary": value_summary,
        "names": names,
        "service_count": len(cycles),
        "values": [{"code": code, "name": name} for code, name in value_rows],
        "median_overall": round(median([s["overall"] for s in services if s["overall"] is not None]), 1)
        if any(s["overall"] is not None for s in services) else None,
        "criteria": criterion_rows,
        # Five of each, or half of the criteria each when there are fewer than ten: never both.
        "strongest": list(reversed(ranked[len(ranked) - min(5, len(ranked) // 2):])),
        "weakest": ranked[: min(5, len(ranked) // 2)],
        "services": services,
        "by_sector": _groups(services, "sector"),
        "by_region": _groups(services, "region"),
        "outcomes": {str(key): value for key, value in outcomes.items()},
        "last_year_actions": {str(key): value for key, value in last_year.items()},
    }


def _groups(services, key):
    grouped = {}
    for service in services:
        if service["overall"] is not None:
            grouped.setdefault(service[key], []).append(service["overall"])
    rows = []
    for name, points in sorted(grouped.items()):
        points.sort()
        q1, q3 = _quartiles(points)
        rows.append({"name": name, "services": len(points), "median": round(median(points), 1),
                     "q1": round(q1, 1), "q3": round(q3, 1), "low": points[0], "high": points[-1], "points": points})
    return rows


# --- the commissioner's portfolio ---------------------------------------------------------------


def portfolio(services):
    """One row per commissioned service: where its current cycle is, RAG by value and percent met
    from its latest settled review, the trend across reviews, overdue and urgent items.
    A fixed number of queries, whatever the number of services or reviews."""
    from reviews.models import Action, Decision, Finding  # noqa: PLC0415
    from standards.models import Value  # noqa: PLC0415

    services = list(services)
    cycles = list(
        Cycle.objects.filter(service__in=services).select_related("edition").order_by("opened_at", "pk")
    )
    settled_ids = [c.pk for c in cycles if c.state in SETTLED]
    tallies = {}
    for row in (
        AgreedRating.objects.filter(cycle__in=settled_ids)
        .values("cycle_id", "criterion__value__code")
        .annotate(
            met=Count("id", filter=Q(level__value__gte=_top_level_expression(), not_applicable=False)),
            applicable=Count("id", filter=Q(not_applicable=False)),
            tier_one_unmet=Count("id", filter=Q(criterion__tier=1, not_applicable=False)
                                 & ~Q(level__value__gte=_top_level_expression())),
        )
    ):
        tallies.setdefault(row["cycle_id"], {})[row["criterion__value__code"]] = row
    edition_ids = {c.edition_id for c in cycles}
    values = {}
    for value in Value.objects.filter(edition__in=edition_ids).order_by("order"):
        values.setdefault(value.edition_id, []).append(value)
    decisions = {d.cycle_id: d for d in Decision.objects.filter(cycle__in=[c.pk for c in cycles])}
    today = timezone.localdate()
    overdue, urgent = {}, {}
    for action in Action.objects.filter(
        cycle__service__in=services, due_date__lt=today, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        carried_to__isnull=True,
    ).select_related("cycle").order_by("due_date"):
        overdue.setdefault(action.cycle.service_id, []).append(action)
    for finding in Finding.objects.filter(
        cycle__service__in=services, kind=FindingKind.URGENT, acknowledged_at__isnull=True
    ).select_related("cycle"):
        urgent.setdefault(finding.cycle.service_id, []).append(finding)
    rows = []
    for service in services:
        own = [c for c in cycles if c.service_id == service.pk]
        current = own[-1] if own else None
        settled = [c for c in own if c.state in SETTLED]
        latest = settled[-1] if settled else None
        rows.append({
            "service": service,
            "current": current,
            "latest": latest,
            "decision": decisions.get(latest.pk) if latest else None,
            "values": _rag_row(latest, tallies.get(latest.pk, {}), values.get(latest.edition_id, [])) if latest else [],
            "percent_met": _overall(tallies.get(latest.pk, {})) if latest else None,
            "trend": [{"label": c.opened_at.strftime("%b %Y"), "percent_met": _overall(tallies.get(c.pk, {}))}
                      for c in settled],
            "overdue_actions": overdue.get(service.pk, []),
            "urgent_concerns": urgent.get(service.pk, []),
        })
    return rows


def _overall(by_value):
    met = sum(row["met"] for row in by_value.values())
    applicable = sum(row["applicable"] for row in by_value.values())
    return round(100 * met / applicable, 1) if applicable else None


def _rag_row(cycle, by_value, values):
    edition = cycle.edition
    row = []
    for value in values:
        counts = by_value.get(value.code)
        percent = round(100 * counts["met"] / counts["applicable"], 1) if counts and counts["applicable"] else None
        tier_one_unmet = bool(counts and counts["tier_one_unmet"])
        rag = rag_colour(percent, tier_one_unmet, edition.rag_green_from, edition.rag_amber_from)
        row.append({"code": value.code, "name": value.name, "percent_met": percent, "rag": rag})
    return row
