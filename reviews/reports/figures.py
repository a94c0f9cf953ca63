"""The figures reports share: percent met by cycle and value, the network's spread per value
(cached), and the trend across a service's reviews (one service's, or many services' at once). A
fixed number of queries each."""

from statistics import median, quantiles

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleState
from reviews.peer.queries import agreed_counts
from reviews.scoring import percent_met
from reviews.templatetags.review_tags import long_date
from standards.models import Criterion, Value


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
    """Percent met in this service's settled reviews up to this one, oldest first and this one
    last, compared like with like: over the criteria (matched by code) that every edition in the
    line has. Three queries.

    Each point: its edition, when it was decided ("label" in words, "decided" as an ISO date),
    met / applicable / percent_met over the compared criteria, how many criteria it was compared
    on ("compared") of its edition's ("criteria"), its percent met over all of its own criteria
    ("percent_met_all"), and whether it is this review ("current"). A review whose edition shares
    no criterion with this one's is left out: it cannot be compared."""
    line = _reviews_up_to(cycle)
    decisions = {item.pk: decision for item in line if (decision := getattr(item, "decision", None))}
    return trends([line], decisions)[cycle.pk]


def trends(lines, decisions):
    """The trend of several lines of reviews at once (as trend() gives one): each line a service's
    reviews, oldest first and the one reported on last, with their editions read; `decisions`
    {cycle id: its decision} for the reviews the reader may know the decision of (the others are
    placed by their opening). {id of each line's last review: its points}. Three queries at most,
    whatever the number of lines."""
    lines = [line for line in lines if line]
    if not lines:
        return {}
    codes = {}
    for edition_id, code in Criterion.objects.filter(
        edition__in={c.edition_id for line in lines for c in line}
    ).values_list("edition_id", "code"):
        codes.setdefault(edition_id, set()).add(code)
    # A line of one edition compares every criterion, so its reviews' totals are enough; only a
    # line of several editions needs each criterion's counts (the most rows by far).
    mixed = [line for line in lines if len({c.edition_id for c in line}) > 1]
    plain = [line for line in lines if len({c.edition_id for c in line}) == 1]
    totals = {}
    for row in agreed_counts([c.pk for line in plain for c in line], "cycle_id") if plain else ():
        totals[row["cycle_id"]] = (row["met"], row["applicable"])
    counts = {}
    for row in agreed_counts([c.pk for line in mixed for c in line], "cycle_id", "criterion__code") if mixed else ():
        counts.setdefault(row["cycle_id"], {})[row["criterion__code"]] = (row["met"], row["applicable"])
    points = {line[-1].pk: _line_points(line, codes, counts, decisions) for line in mixed}
    points |= {line[-1].pk: _one_edition_points(line, codes, totals, decisions) for line in plain}
    return points


def _one_edition_points(line, codes, totals, decisions):
    cycle = line[-1]
    criteria = len(codes.get(cycle.edition_id, ()))
    return [_trend_point(item, totals.get(item.pk, (0, 0)), totals.get(item.pk, (0, 0)), criteria, criteria,
                         decisions.get(item.pk), cycle) for item in line]


def _line_points(line, codes, counts, decisions):
    cycle = line[-1]
    own = codes.get(cycle.edition_id, set())
    line = [c for c in line if c.pk == cycle.pk or codes.get(c.edition_id, set()) & own]
    compared = set(own).intersection(*(codes.get(c.edition_id, set()) for c in line))
    points = []
    for item in line:
        by_code = counts.get(item.pk, {})
        over_compared = [by_code[code] for code in compared if code in by_code]
        points.append(_trend_point(item, _sums(over_compared), _sums(by_code.values()), len(compared),
                                   len(codes.get(item.edition_id, ())), decisions.get(item.pk), cycle))
    return points


def _sums(pairs):
    """(met, applicable) summed over (met, applicable) pairs."""
    pairs = list(pairs)
    return sum(met for met, _applicable in pairs), sum(applicable for _met, applicable in pairs)


def _reviews_up_to(cycle):
    """This service's settled reviews opened before this one, and this one (never a later review:
    a report's trend ends with the review it reports on)."""
    earlier = Q(opened_at__lt=cycle.opened_at) | Q(opened_at=cycle.opened_at, pk__lt=cycle.pk)
    return list(
        Cycle.objects.filter(service=cycle.service_id)
        .filter((Q(state__in=CycleState.SETTLED) & earlier) | Q(pk=cycle.pk))
        .select_related("edition", "decision")
        .order_by("opened_at", "pk")
    )


def _trend_point(item, over_compared, over_all, compared, criteria, decision, cycle):
    """over_compared, over_all: (met, applicable) over the compared criteria and over all of the
    review's own; compared, criteria: how many criteria those are."""
    met, applicable = over_compared
    opened = timezone.localdate(item.opened_at)
    decided = timezone.localdate(decision.recorded_at) if decision else None
    return {
        # A review's place in time: when it was decided (its results then became final); one not
        # decided yet is placed by its opening, and says so.
        "label": _("Decided %(date)s") % {"date": long_date(decided)} if decided
        else _("Opened %(date)s") % {"date": long_date(opened)},
        "decided": decided.isoformat() if decided else None,
        "opened": opened.isoformat(),
        "edition": item.edition.version,
        "met": met,
        "applicable": applicable,
        "percent_met": percent_met(met, applicable),
        "compared": compared,
        "criteria": criteria,
        "percent_met_all": percent_met(*over_all),
        "current": item.pk == cycle.pk,
    }


def trend_note(points):
    """What a reader must know to read the trend, in words ("" when its reviews share one
    edition, or for a trend kept in a final report before the trend said so)."""
    if not points or "compared" not in points[-1]:
        return ""
    current = points[-1]
    editions = {}
    for point in points:
        editions.setdefault(point["edition"], point["criteria"])
    if len(editions) == 1 and current["compared"] == current["criteria"]:
        return ""
    both = _("both editions share") if len(editions) == 2 else _("all %(count)d editions share") % {
        "count": len(editions)}
    sizes = ", ".join(_("edition %(version)s has %(count)d") % {"version": version, "count": count}
                      for version, count in editions.items())
    note = _("Compared on the %(count)d criteria %(both)s (%(sizes)s).") % {
        "count": current["compared"], "both": both, "sizes": sizes}
    if current["percent_met_all"] is not None and current["compared"] != current["criteria"]:
        note += " " + _("Over all %(count)d of its criteria, this review met %(percent)s%%.") % {
            "count": current["criteria"], "percent": f"{current['percent_met_all']:.0f}"}
    return note
