"""The network's results: per value and per criterion across services, per service by code (or
name), by sector and region, and members' answers per value."""

from statistics import mean, median

from django.db.models import Count, Q

from reviews.members.queries import members_voices
from reviews.peer.models import AgreedRating
from reviews.peer.queries import agreed_counts, met_counts
from reviews.reports.figures import quartiles
from reviews.reports.network.rules import service_code, suppressed
from reviews.reports.network.year_before import signed
from reviews.scoring import percent_met, percentage
from standards.models import Criterion


def members_by_value(edition, cycles, value_rows, minimum):
    """Per value, how members answered across the network: the pooled shares of Yes, Sometimes and
    No, counting only questions whose answers each service's report shows (the edition's minimum
    of answers), and only where at least `minimum` services make up the figure."""
    for cycle in cycles:
        cycle.edition = edition  # one edition object: its levels and rule are read once
    value_of = dict(Criterion.objects.filter(edition=edition).values_list("pk", "value__code"))
    pooled = {code: {"yes": 0, "sometimes": 0, "no": 0, "services": set()} for code, _name in value_rows}
    for (cycle_id, criterion_id), voice in members_voices(cycles).items():
        if not voice.tally.shown or criterion_id not in value_of:
            continue
        row = pooled[value_of[criterion_id]]
        for answer in ("yes", "sometimes", "no"):
            row[answer] += getattr(voice.tally, answer)
        row["services"].add(cycle_id)
    rows = []
    for code, name in value_rows:
        row = pooled[code]
        enough = len(row["services"]) >= minimum
        total = row["yes"] + row["sometimes"] + row["no"]
        rows.append({"code": code, "name": name, "enough": enough,
                     "services": len(row["services"]) if enough else None,
                     **{answer: percentage(row[answer], total) if enough else None for answer in ("yes", "sometimes", "no")}})
    return rows


def criterion_rows(edition, criteria_of_edition, cycle_ids, previous, change, minimum):
    """Per criterion, the percent of services meeting it; and, on a criterion both years share,
    the year before's percent and the change, where each year has at least `minimum` services."""
    per_criterion = {
        row["criterion_id"]: row
        for row in agreed_counts(cycle_ids, "criterion_id", met_levels=edition.met_level_ids)
    }
    before = {}
    if change["shown"]:
        before = {row["criterion__code"]: row for row in agreed_counts(previous.cycle_ids, "criterion__code")}
    shared = set(previous.shared) if change["shown"] else set()
    rows = []
    for criterion in criteria_of_edition:
        counts = per_criterion.get(criterion.pk, {"met": 0, "applicable": 0})
        enough = counts["applicable"] >= minimum
        row = {"code": criterion.code, "value": criterion.value.name, "statement": criterion.statement,
               "tier": criterion.tier, "services": counts["applicable"] if enough else None,
               "percent_met": percent_met(counts["met"], counts["applicable"]) if enough else None,
               "compared": criterion.code in shared, "before": None, "change": None, "signed": None}
        then = before.get(criterion.code, {"met": 0, "applicable": 0})
        if row["compared"] and enough and then["applicable"] >= minimum:
            row["before"] = percent_met(then["met"], then["applicable"])
            row["change"] = round(row["percent_met"] - row["before"], 1)
            row["signed"] = signed(row["change"])
        rows.append(row)
    return rows


def counts_by_cycle_and_value(edition, criteria_of_edition, cycle_ids, shared_ids):
    """{cycle id: {value code: {met, applicable, shared_met, shared_applicable}}}: the met and
    applicable agreed ratings of each review per value, on all criteria and on those shared with
    the year before, in one pass over the ratings (over a thousand reviews, the costliest query)."""
    met_levels = edition.met_level_ids
    shared = {
        "shared_met": Count("pk", filter=Q(level_id__in=met_levels, criterion_id__in=shared_ids)),
        "shared_applicable": Count("pk", filter=Q(not_applicable=False, criterion_id__in=shared_ids)),
    } if shared_ids else {}
    code_of = {criterion.value_id: criterion.value.code for criterion in criteria_of_edition}
    counts = {}
    for row in (AgreedRating.objects.filter(cycle_id__in=cycle_ids).values("cycle_id", "criterion__value_id")
                .annotate(**met_counts(met_levels), **shared).order_by()):
        counts.setdefault(row["cycle_id"], {})[code_of[row["criterion__value_id"]]] = row
    return counts


def service_rows(cycles, counts, value_rows, names, year):
    """One row per service, by name (when asked for) or by code, in that order: never by result.
    The sector and region ride along only to be counted in groups; they are never printed beside
    a code."""
    rows = []
    for cycle in cycles:
        by_value = counts.get(cycle.pk, {})
        met, applicable = (sum(row[key] for row in by_value.values()) for key in ("met", "applicable"))
        rows.append({
            "label": cycle.service.name if names else service_code(cycle.service, year),
            "sector": cycle.service.sector.name,
            "region": cycle.service.region.name,
            "overall": percent_met(met, applicable) if applicable else None,
            "values": [percent_met(by_value[code]["met"], by_value[code]["applicable"])
                       if code in by_value and by_value[code]["applicable"] else None for code, _name in value_rows],
        })
    return sorted(rows, key=lambda row: row["label"])


def value_summary(value_rows, services, minimum):
    """Per value, the median and middle half across services (never the lowest or highest, which
    would each describe one service), and the mean that ranks the values; nothing for a value
    fewer than `minimum` services were rated on."""
    summary = []
    for index, (code, name) in enumerate(value_rows):
        points = sorted(s["values"][index] for s in services if s["values"][index] is not None)
        enough = len(points) >= minimum
        low, high = quartiles(points) if enough else (None, None)
        summary.append({"code": code, "name": name, "services": len(points) if enough else None, "enough": enough,
                        "median": round(median(points), 1) if enough else None,
                        "mean": round(mean(points), 1) if enough else None,
                        "q1": round(low, 1) if enough else None, "q3": round(high, 1) if enough else None})
    return summary


def value_extremes(value_summary):
    """The values services meet most and least of, on average: two of each (one when there are
    fewer than four values shown), never the same value in both."""
    shown = sorted((row for row in value_summary if row["mean"] is not None), key=lambda row: (-row["mean"], row["code"]))
    count = 2 if len(shown) >= 4 else len(shown) // 2
    return {"strongest": shown[:count], "weakest": list(reversed(shown[len(shown) - count:])) if count else []}


def groups(services, key, minimum):
    """Services' overall percent met by sector or region: median and middle half of each group of
    at least `minimum` services; smaller groups are named, with no figures (and, where one such
    group's size could be worked out from the total, the smallest shown group's size is hidden too)."""
    grouped = {}
    for service in services:
        if service["overall"] is not None:
            grouped.setdefault(service[key], []).append(service["overall"])
    sizes = suppressed({name: len(points) for name, points in grouped.items()}, minimum)
    rows = []
    for name, points in sorted(grouped.items()):
        points.sort()
        enough = len(points) >= minimum
        q1, q3 = quartiles(points) if enough else (None, None)
        rows.append({"name": name, "services": sizes[name], "enough": enough,
                     "median": round(median(points), 1) if enough else None,
                     "q1": round(q1, 1) if enough else None, "q3": round(q3, 1) if enough else None})
    return rows
