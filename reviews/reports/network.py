"""The network report's data: for an edition and a year, the latest final review of each service,
summarised per criterion, per value, by sector and region, and per service by code.

Its rules, which the report states on its first page (see `RULES`):
- only final reviews count (a review's results are not the network's until its report is final);
- no figure describes fewer than `minimum_services()` services: a group, a criterion or a count
  that few services make up is not shown, and where one hidden count could be worked out from a
  total and the counts shown beside it, the next smallest is hidden too;
- services appear by a code that is keyed with a secret and changes every year, so nobody can work
  out a service from its code, or follow it from one year to the next; nothing lists services in
  order of their results, and codes stand alone, never beside a sector or region;
- the whole per-service picture is shown only when at least `minimum_services()` services are in
  it; below that the report gives no figures at all.
"""

from statistics import median

from django.conf import settings
from django.db.models import Count
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleState
from reviews.members.queries import members_voices
from reviews.peer.models import Action, ActionStatus, Decision, DecisionOutcome
from reviews.peer.queries import agreed_counts
from reviews.reports.figures import percent_met_by_cycle_and_value, quartiles
from reviews.scoring import percent_met, percentage
from standards.models import Criterion

RULES = [
    "Only reviews whose report is final are counted.",
    "No figure describes fewer than {minimum} services: smaller groups, criteria and counts are not shown "
    "(marked “fewer than {minimum}”), and where a hidden count could be worked out from a total, the next "
    "smallest count is hidden too.",
    "Services appear only by a code that changes every year. Each service can learn its own code from the "
    "network; nobody can work a service out from its code.",
    "Nothing here ranks services: codes are listed in the order of the code, never by result, and never "
    "beside a sector or region.",
]


def minimum_services():
    return settings.NETWORK_MINIMUM_SERVICES


def service_code(service, year):
    """The service's code in the network reports of `year`: keyed with a secret, so it cannot be
    recomputed from what anyone knows of the service, and different every year."""
    digest = salted_hmac("relational-assurance.network-report-code", f"{year}:{service.pk}",
                         secret=settings.NETWORK_CODE_SECRET, algorithm="sha256").hexdigest()
    return f"S-{digest[:6].upper()}"


def final_reviews_of_year(edition, year):
    """{service id: its latest final cycle of the edition opened in the year}."""
    latest = {}
    for cycle in (
        Cycle.objects.filter(edition=edition, state__in=CycleState.CONCLUDED, opened_at__year=year)
        .select_related("service__sector", "service__region")
        .order_by("opened_at", "pk")
    ):
        latest[cycle.service_id] = cycle
    return latest


def network_report_data(edition, year, *, names=False):
    """The network report for an edition and a year. A fixed number of queries, whatever the size
    of the network."""
    minimum = minimum_services()
    latest = final_reviews_of_year(edition, year)
    cycles = list(latest.values())
    enough = len(cycles) >= minimum
    value_rows = list(edition.values.order_by("order").values_list("code", "name"))
    services = _service_rows(edition, cycles, value_rows, names, year) if enough else []
    criteria = _criterion_rows(edition, [c.pk for c in cycles], minimum) if enough else []
    ranked = sorted((row for row in criteria if row["percent_met"] is not None),
                    key=lambda row: (row["percent_met"], row["code"]))
    overall = [s["overall"] for s in services if s["overall"] is not None]
    return {
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "year": year,
        "names": names,
        "minimum": minimum,
        "rules": [rule.format(minimum=minimum) for rule in RULES],
        "enough": enough,
        "service_count": len(cycles) if enough else None,
        "values": [{"code": code, "name": name} for code, name in value_rows],
        "value_summary": _value_summary(value_rows, services) if enough else [],
        "median_overall": round(median(overall), 1) if len(overall) >= minimum else None,
        "criteria": criteria,
        # Five of each, or half of the criteria each when there are fewer than ten: never both.
        "strongest": list(reversed(ranked[len(ranked) - min(5, len(ranked) // 2):])),
        "weakest": ranked[: min(5, len(ranked) // 2)],
        "services": services,
        "by_sector": (by_sector := _groups(services, "sector", minimum)),
        "by_region": (by_region := _groups(services, "region", minimum)),
        "group_tables": [(_("Percent met by sector"), by_sector), (_("Percent met by region"), by_region)],
        "outcomes": _labelled(_suppressed(_counted(Decision.objects.filter(cycle__in=cycles), "outcome"), minimum),
                              DecisionOutcome),
        "last_year_actions": _labelled(_last_year_actions(latest.keys(), year, minimum), ActionStatus),
        "members": _members_by_value(edition, cycles, value_rows, minimum) if enough else [],
    }


def _members_by_value(edition, cycles, value_rows, minimum):
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


def _criterion_rows(edition, cycle_ids, minimum):
    per_criterion = {
        row["criterion_id"]: row
        for row in agreed_counts(cycle_ids, "criterion_id", met_levels=edition.met_level_ids)
    }
    rows = []
    for criterion in Criterion.objects.filter(edition=edition).select_related("value").order_by("value__order", "order"):
        counts = per_criterion.get(criterion.pk, {"met": 0, "applicable": 0})
        enough = counts["applicable"] >= minimum
        rows.append({"code": criterion.code, "value": criterion.value.name, "statement": criterion.statement,
                     "tier": criterion.tier, "services": counts["applicable"] if enough else None,
                     "percent_met": percent_met(counts["met"], counts["applicable"]) if enough else None})
    return rows


def _service_rows(edition, cycles, value_rows, names, year):
    """One row per service, by name (when asked for) or by code, in that order: never by result.
    The sector and region ride along only to be counted in groups; they are never printed beside
    a code."""
    ids = [c.pk for c in cycles]
    by_value = percent_met_by_cycle_and_value(edition, ids)
    overall = {
        row["cycle_id"]: percent_met(row["met"], row["applicable"])
        for row in agreed_counts(ids, "cycle_id", met_levels=edition.met_level_ids)
    }
    rows = [
        {
            "label": c.service.name if names else service_code(c.service, year),
            "sector": c.service.sector.name,
            "region": c.service.region.name,
            "overall": overall.get(c.pk),
            "values": [by_value.get(c.pk, {}).get(code) for code, _name in value_rows],
        }
        for c in cycles
    ]
    return sorted(rows, key=lambda row: row["label"])


def _value_summary(value_rows, services):
    """Per value, the median and middle half across services (never the lowest or highest, which
    would each describe one service)."""
    summary = []
    for index, (code, name) in enumerate(value_rows):
        points = sorted(s["values"][index] for s in services if s["values"][index] is not None)
        low, high = quartiles(points) if points else (None, None)
        summary.append({"code": code, "name": name, "services": len(points),
                        "median": round(median(points), 1) if points else None,
                        "q1": round(low, 1) if points else None, "q3": round(high, 1) if points else None})
    return summary


def _labelled(counts, choices):
    """Counts under the words people read ("In progress"), not the stored values."""
    return {str(choices(key).label): n for key, n in counts.items()}


def _counted(queryset, field):
    return {str(key): n for key, n in queryset.values_list(field).annotate(n=Count("id"))}


def _last_year_actions(service_ids, year, minimum):
    """Last year's actions of these services, by what became of them: each count shown only when
    it is made up of at least `minimum` services."""
    rows = (
        Action.objects.filter(cycle__service__in=service_ids, cycle__opened_at__year=year - 1)
        .values("status").annotate(n=Count("id"), services=Count("cycle__service", distinct=True))
    )
    counts = {str(row["status"]): row["n"] for row in rows}
    too_few = {str(row["status"]) for row in rows if row["services"] < minimum}
    return _suppressed(counts, minimum, hidden=too_few)


def _suppressed(counts, minimum, hidden=None):
    """{key: count, or None where hidden}. A count below `minimum` is hidden (as are `hidden`), and
    where exactly one count is hidden, the smallest shown one is hidden with it: the total of the
    others would otherwise give it away (complementary suppression)."""
    hidden = set(hidden or ()) | {key for key, n in counts.items() if 0 < n < minimum}
    shown = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return {key: (None if key in hidden else n) for key, n in counts.items()}


def _groups(services, key, minimum):
    """Services' overall percent met by sector or region: median and middle half of each group of
    at least `minimum` services; smaller groups are named, with no figures (and, where one such
    group's size could be worked out from the total, the smallest shown group's size is hidden too)."""
    grouped = {}
    for service in services:
        if service["overall"] is not None:
            grouped.setdefault(service[key], []).append(service["overall"])
    sizes = _suppressed({name: len(points) for name, points in grouped.items()}, minimum)
    rows = []
    for name, points in sorted(grouped.items()):
        points.sort()
        enough = len(points) >= minimum
        q1, q3 = quartiles(points) if enough else (None, None)
        rows.append({"name": name, "services": sizes[name], "enough": enough,
                     "median": round(median(points), 1) if enough else None,
                     "q1": round(q1, 1) if enough else None, "q3": round(q3, 1) if enough else None})
    return rows
