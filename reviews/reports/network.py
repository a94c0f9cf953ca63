"""The network report's data: for an edition and a year, the latest settled review of each
service, summarised per criterion, per value, per service (by code), by sector and by region."""

import hashlib
from statistics import median

from django.db.models import Count

from reviews.cycles.models import Cycle, CycleState
from reviews.peer.models import Action, Decision
from reviews.peer.queries import agreed_counts
from reviews.reports.figures import percent_met_by_cycle_and_value, quartiles
from reviews.scoring import percent_met
from standards.models import Criterion


def anonymous_code(service):
    """A stable code that does not name the service: the same in every report."""
    return "S-" + hashlib.sha256(f"service:{service.pk}:{service.slug}".encode()).hexdigest()[:5].upper()


def latest_reviews_of_year(edition, year):
    """{service id: its latest settled cycle of the edition opened in the year}."""
    latest = {}
    for cycle in (
        Cycle.objects.filter(edition=edition, state__in=CycleState.SETTLED, opened_at__year=year)
        .select_related("service__sector", "service__region")
        .order_by("opened_at", "pk")
    ):
        latest[cycle.service_id] = cycle
    return latest


def network_report_data(edition, year, *, names=False):
    """The network report for an edition and a year. A fixed number of queries, whatever the size
    of the network."""
    latest = latest_reviews_of_year(edition, year)
    cycles = list(latest.values())
    ids = [c.pk for c in cycles]
    value_rows = list(edition.values.order_by("order").values_list("code", "name"))
    criterion_rows = _criterion_rows(edition, ids)
    ranked = sorted((row for row in criterion_rows if row["percent_met"] is not None),
                    key=lambda row: (row["percent_met"], row["code"]))
    services = _service_rows(edition, cycles, value_rows, names)
    overall_points = [s["overall"] for s in services if s["overall"] is not None]
    return {
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "year": year,
        "value_summary": _value_summary(value_rows, services),
        "names": names,
        "service_count": len(cycles),
        "values": [{"code": code, "name": name} for code, name in value_rows],
        "median_overall": round(median(overall_points), 1) if overall_points else None,
        "criteria": criterion_rows,
        # Five of each, or half of the criteria each when there are fewer than ten: never both.
        "strongest": list(reversed(ranked[len(ranked) - min(5, len(ranked) // 2):])),
        "weakest": ranked[: min(5, len(ranked) // 2)],
        "services": services,
        "by_sector": _groups(services, "sector"),
        "by_region": _groups(services, "region"),
        "outcomes": _counted(Decision.objects.filter(cycle__in=ids), "outcome"),
        "last_year_actions": _counted(
            Action.objects.filter(cycle__service__in=latest.keys(), cycle__opened_at__year=year - 1), "status"
        ),
    }


def _criterion_rows(edition, cycle_ids):
    per_criterion = {
        row["criterion_id"]: row
        for row in agreed_counts(cycle_ids, "criterion_id", met_levels=edition.met_level_ids)
    }
    rows = []
    for criterion in Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order"):
        counts = per_criterion.get(criterion.pk, {"met": 0, "applicable": 0})
        rows.append({"code": criterion.code, "value": criterion.value.name, "statement": criterion.statement,
                     "tier": criterion.tier, "services": counts["applicable"],
                     "percent_met": percent_met(counts["met"], counts["applicable"])})
    return rows


def _service_rows(edition, cycles, value_rows, names):
    ids = [c.pk for c in cycles]
    by_value = percent_met_by_cycle_and_value(edition, ids)
    overall = {
        row["cycle_id"]: percent_met(row["met"], row["applicable"])
        for row in agreed_counts(ids, "cycle_id", met_levels=edition.met_level_ids)
    }
    rows = (
        {
            "label": c.service.name if names else anonymous_code(c.service),
            "sector": c.service.sector.name,
            "region": c.service.region.name,
            "overall": overall.get(c.pk),
            "values": [by_value.get(c.pk, {}).get(code) for code, _name in value_rows],
        }
        for c in cycles
    )
    return sorted(rows, key=lambda row: (-(row["overall"] or 0), row["label"]))


def _value_summary(value_rows, services):
    summary = []
    for index, (code, name) in enumerate(value_rows):
        points = sorted(s["values"][index] for s in services if s["values"][index] is not None)
        summary.append({"code": code, "name": name, "median": round(median(points), 1) if points else None,
                        "low": points[0] if points else None, "high": points[-1] if points else None})
    return summary


def _counted(queryset, field):
    return {str(key): n for key, n in queryset.values_list(field).annotate(n=Count("id"))}


def _groups(services, key):
    grouped = {}
    for service in services:
        if service["overall"] is not None:
            grouped.setdefault(service[key], []).append(service["overall"])
    rows = []
    for name, points in sorted(grouped.items()):
        points.sort()
        q1, q3 = quartiles(points)
        rows.append({"name": name, "services": len(points), "median": round(median(points), 1),
                     "q1": round(q1, 1), "q3": round(q3, 1), "low": points[0], "high": points[-1], "points": points})
    return rows
