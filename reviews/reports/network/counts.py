"""Counts of the network report: decisions by outcome, reviews under way by stage, last year's
actions by what became of them, and urgent concerns (only ever counted)."""

from django.db.models import Count

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact
from reviews.peer.models import Action, Decision, DecisionOutcome, Finding, FindingKind
from reviews.reports.network.rules import at_least, network_sees, suppressed


def outcomes(cycle_ids, minimum):
    """The decisions of these reviews by outcome (one decision per review, so per service)."""
    if not network_sees(Fact.DECISION):
        return count_rows({}, DecisionOutcome)
    counts = dict(Decision.objects.filter(cycle__in=cycle_ids).values_list("outcome").annotate(n=Count("id")))
    return count_rows(suppressed(counts, minimum), DecisionOutcome)


def in_progress(edition, year, minimum):
    """The edition's reviews opened in the year that are not final yet, by stage."""
    counts = dict(
        Cycle.objects.filter(edition=edition, opened_at__year=year, state__in=CycleState.BEFORE_FINAL)
        .values_list("state").annotate(n=Count("id")).order_by()
    )
    return count_rows(suppressed(counts, minimum), CycleState)


def urgent_concerns(cycle_ids, minimum):
    """How many urgent concerns the final reviews raised, and in how many services: a count, never
    their words, and none when fewer than `minimum` services raised them."""
    if not network_sees(Fact.URGENT_CONCERNS):
        return None
    found = Finding.objects.filter(cycle__in=cycle_ids, kind=FindingKind.URGENT).aggregate(
        n=Count("id"), services=Count("cycle_id", distinct=True)
    )
    shown = at_least(found["services"], minimum) is not None
    return {"shown": shown, "count": found["n"] if shown else None, "services": found["services"] if shown else None}


def count_rows(counts, choices):
    """{rows: [{label, count}] in the order of the choices, under the words people read ("In progress"),
    never the stored values; count None where it is not shown; all_hidden: whether none is shown}."""
    order = {value: index for index, value in enumerate(choices.values)}
    rows = [{"label": str(choices(key).label), "count": n}
            for key, n in sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))]
    return {"rows": rows, "all_hidden": len(rows) > 1 and all(row["count"] is None for row in rows)}


def last_year_actions(service_ids, year, minimum):
    """Last year's actions of these services, by what became of them: each count shown only when
    it is made up of at least `minimum` services."""
    rows = (
        Action.objects.filter(cycle__service__in=service_ids, cycle__opened_at__year=year - 1)
        .values("status").annotate(n=Count("id"), services=Count("cycle__service", distinct=True))
    )
    counts = {str(row["status"]): row["n"] for row in rows}
    too_few = {str(row["status"]) for row in rows if row["services"] < minimum}
    return suppressed(counts, minimum, hidden=too_few)
