"""A commissioner's portfolio: one row per service they commission, with where its current
cycle is, RAG by value and percent met from the latest review whose agreed ratings they may see,
the trend, and overdue and urgent items, all as the disclosure policy shows them to the reader
(a commissioner sees a review's results once it is final, and urgent concerns only when a network
administrator escalates them). A fixed number of queries, whatever the number of services or
reviews."""

from django.db.models import Count, Q

from reviews.cycles.models import Cycle, CycleState
from reviews.decisions.models import Appeal, AppealStatus
from reviews.disclosure import Fact, disclosure
from reviews.peer.models import Action, AgreedRating, Decision, Finding, FindingKind
from reviews.peer.queries import met_counts
from reviews.scoring import percent_met, rag_colour
from standards.models import Value
from standards.queries import top_levels


def portfolio_rows(services, reader):
    rows = portfolio(services, reader)
    for row in rows:
        row["red_count"] = sum(1 for value in row["values"] if value["rag"] == "red")
    return rows


def portfolio(services, reader):
    services = list(services)
    cycles = list(
        Cycle.objects.filter(service__in=services).select_related("edition", "visit").prefetch_related("visit__team")
        .order_by("opened_at", "pk")
    )
    seen = {cycle.pk: disclosure(reader, cycle) for cycle in cycles}
    results = [c for c in cycles if c.state in CycleState.SETTLED and Fact.AGREED_RATINGS in seen[c.pk]]
    tallies = _tallies_by_value([c.pk for c in results])
    values = {}
    for value in Value.objects.filter(edition__in={c.edition_id for c in results}).order_by("order"):
        values.setdefault(value.edition_id, []).append(value)
    decisions = {d.cycle_id: d for d in Decision.objects.filter(cycle__in=[c.pk for c in cycles])
                 if Fact.DECISION in seen[d.cycle_id]}
    appeals = _appeals(decisions, seen)
    overdue = _by_service(action for action in Action.objects.filter(cycle__service__in=services, carried_to__isnull=True)
                          .overdue().select_related("cycle").order_by("due_date")
                          if _action_disclosed(action, seen[action.cycle_id]))
    urgent = _by_service(_urgent_concerns(services, seen))
    rows = [_row(service, cycles, results, tallies, values, decisions, overdue, urgent) for service in services]
    for row in rows:
        row["appeal"] = appeals.get(row["decision"].cycle_id) if row["decision"] else None
    return rows


def _row(service, cycles, results, tallies, values, decisions, overdue, urgent):
    own = [c for c in cycles if c.service_id == service.pk]
    shown = [c for c in results if c.service_id == service.pk]
    latest = shown[-1] if shown else None
    return {
        "service": service,
        "current": own[-1] if own else None,
        "latest": latest,
        "decision": decisions.get(latest.pk) if latest else None,
        "values": _rag_row(latest, tallies.get(latest.pk, {}), values.get(latest.edition_id, [])) if latest else [],
        "percent_met": _overall(tallies.get(latest.pk, {})) if latest else None,
        "trend": [{"label": c.opened_at.strftime("%b %Y"), "percent_met": _overall(tallies.get(c.pk, {}))}
                  for c in shown],
        "overdue_actions": overdue.get(service.pk, []),
        "urgent_concerns": urgent.get(service.pk, []),
    }


def _appeals(decisions, seen):
    """{cycle id: the appeal that says where its decision stands (open, else last decided)}, for
    the cycles whose appeals the reader may know of. One query."""
    found = {}
    for appeal in (Appeal.objects.filter(cycle__in=list(decisions)).exclude(status=AppealStatus.WITHDRAWN)
                   .order_by("lodged_at", "pk")):
        if Fact.APPEAL in seen[appeal.cycle_id]:
            found[appeal.cycle_id] = appeal
    return found


def _action_disclosed(action, disclosed):
    return Fact.ACTIONS in disclosed or (action.carried_from_id is not None and Fact.CARRIED_ACTIONS in disclosed)


def _urgent_concerns(services, seen):
    """Urgent concerns waiting for the network, or, for a reader who sees only those escalated to
    them, the escalated ones of reviews still under way."""
    found = Finding.objects.filter(cycle__service__in=services, kind=FindingKind.URGENT).select_related("cycle")
    for finding in found.order_by("created_at", "pk"):
        disclosed = seen[finding.cycle_id]
        if Fact.URGENT_CONCERNS in disclosed and finding.acknowledged_at is None:
            yield finding
        elif (Fact.URGENT_CONCERNS not in disclosed and Fact.ESCALATED_URGENT_CONCERNS in disclosed
              and finding.is_escalated and finding.cycle.state != CycleState.CLOSED):
            yield finding


def _tallies_by_value(cycle_ids):
    """{cycle id: {value code: met, applicable and unmet tier-1 counts}}, in one query."""
    met_levels = top_levels(Cycle.objects.filter(pk__in=cycle_ids).values("edition"))
    rows = (
        AgreedRating.objects.filter(cycle__in=cycle_ids)
        .values("cycle_id", "criterion__value__code")
        .annotate(
            **met_counts(met_levels),
            tier_one_unmet=Count("pk", filter=Q(criterion__tier=1, not_applicable=False)
                                 & ~Q(level_id__in=met_levels)),
        )
        .order_by()
    )
    tallies = {}
    for row in rows:
        tallies.setdefault(row["cycle_id"], {})[row["criterion__value__code"]] = row
    return tallies


def _by_service(objects):
    grouped = {}
    for item in objects:
        grouped.setdefault(item.cycle.service_id, []).append(item)
    return grouped


def _overall(by_value):
    return percent_met(sum(row["met"] for row in by_value.values()),
                       sum(row["applicable"] for row in by_value.values()))


def _rag_row(cycle, by_value, values):
    edition = cycle.edition
    row = []
    for value in values:
        counts = by_value.get(value.code, {"met": 0, "applicable": 0, "tier_one_unmet": 0})
        percent = percent_met(counts["met"], counts["applicable"])
        rag = rag_colour(percent, bool(counts["tier_one_unmet"]), edition.rag_green_from, edition.rag_amber_from)
        row.append({"code": value.code, "name": value.name, "percent_met": percent, "rag": rag})
    return row
