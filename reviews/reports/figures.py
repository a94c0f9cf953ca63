"""The figures reports share: percent met by cycle and value, the network's spread per value
(cached), and a service's trend across its reviews. A fixed number of queries each."""

from statistics import median, quantiles

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from reviews.cycles.models import Cycle, CycleState
from reviews.peer.queries import agreed_counts
from reviews.scoring import percent_met
from standards.models import Value


def percent_met_by_cycle_and_value(edition, cycles=None):
    """{cycle id: {value code: percent met}} for cycles of the edition (by default its settled
    ones), in two queries (or three, when the edition's levels are not read yet)."""
    if cycles is None:
        cycles = Cycle.objects.filter(edition=edition, state__in=CycleState.SETTLED).values_list("pk", flat=True)
    codes = dict(Value.objects.filter(edition=edition).values_list("pk", "code"))
    rows = agreed_counts(list(cycles), "cycle_id", "criterion__value_id", met_levels=edition.met_level_ids)
    result = {}
    for row in rows:
        if row["applicable"]:
            result.setdefault(row["cycle_id"], {})[codes[row["criterion__value_id"]]] = percent_met(
                row["met"], row["applicable"]
            )
    return result


def latest_final_cycles(edition):
    """The latest final cycle of each service in the edition: only final reviews are the network's."""
    latest = {}
    for cycle_id, service_id in (
        Cycle.objects.filter(edition=edition, state__in=CycleState.CONCLUDED)
        .order_by("opened_at", "pk")
        .values_list("pk", "service_id")
    ):
        latest[service_id] = cycle_id
    return list(latest.values())


def network_comparison(edition, cycle):
    """Per value: this service's percent met against the network's median and interquartile
    range. None unless at least NETWORK_MINIMUM_SERVICES services have final reviews; never names
    others."""
    network = network_spread(edition)
    if network is None:
        return None
    own = percent_met_by_cycle_and_value(edition, [cycle.pk]).get(cycle.pk, {}) if cycle else {}
    return {
        "services": network["services"],
        "values": [{**row, "service": own.get(row["code"])} for row in network["values"]],
    }


def quartiles(points):
    """The lower and upper quartiles of sorted points (the middle half lies between them)."""
    if len(points) == 1:
        return points[0], points[0]
    q1, _median, q3 = quantiles(points, n=4, method="inclusive")
    return q1, q3


def network_spread(edition):
    """The network's median and middle half per value. The same for every service report of the
    edition, so it is cached until the set of final reviews changes (a new final review, or a
    change of stage): over a thousand reviews it is the costliest query of a report."""
    state = Cycle.objects.filter(edition=edition, state__in=CycleState.CONCLUDED).aggregate(
        n=Count("id"), last=Max("id"), moved=Max("events__id")
    )
    key = f"network-spread:{edition.pk}:{state['n']}:{state['last']}:{state['moved']}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    cycles = latest_final_cycles(edition)
    result = {}
    if len(cycles) >= settings.NETWORK_MINIMUM_SERVICES:
        by_cycle = percent_met_by_cycle_and_value(edition, cycles)
        rows = []
        for code, name in edition.values.order_by("order").values_list("code", "name"):
            points = sorted(v[code] for v in by_cycle.values() if code in v)
            if not points:
                continue
            q1, q3 = quartiles(points)
            rows.append({"code": code, "name": name, "median": round(median(points), 1), "q1": round(q1, 1),
                         "q3": round(q3, 1)})
        result = {"services": len(cycles), "values": rows}
    cache.set(key, result, timeout=24 * 60 * 60)
    return result or None


def trend(cycle):
    """Percent met overall in this service's settled cycles, oldest first, with this one last."""
    cycles = list(
        Cycle.objects.filter(service=cycle.service_id)
        .filter(Q(state__in=CycleState.SETTLED) | Q(pk=cycle.pk))
        .select_related("edition")
        .order_by("opened_at", "pk")
    )
    counts = {row["cycle_id"]: row for row in agreed_counts([item.pk for item in cycles], "cycle_id")}
    points = []
    for item in cycles:
        row = counts.get(item.pk, {"met": 0, "applicable": 0})
        points.append({"label": item.opened_at.strftime("%b %Y"), "edition": item.edition.version,
                       "percent_met": percent_met(row["met"], row["applicable"]), "current": item.pk == cycle.pk})
    return points
