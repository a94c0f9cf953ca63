"""The network report's data: for an edition and a year, the latest final review of each service,
summarised per criterion, per value, by sector and region, and per service by code; the themes of
the teams' findings; and the change on the year before, on the criteria both years share.

Its rules, which the report states on its first page (see `RULES`):
- only final reviews count (a review's results are not the network's until its report is final);
- no figure describes fewer than `minimum_services()` services: a group, a criterion or a count
  that few services make up is not shown, and where one hidden count could be worked out from a
  total and the counts shown beside it, the next smallest is hidden too; the first page lists what
  was withheld;
- services appear by a code that is keyed with a secret and changes every year, so nobody can work
  out a service from its code, or follow it from one year to the next; nothing lists services in
  order of their results, and codes stand alone, never beside a sector or region;
- findings are counted by the services that have them, never quoted, unless the administrator
  asked for services to be named; urgent concerns are only ever counted;
- the whole per-service picture is shown only when at least `minimum_services()` services are in
  it; below that the report gives no figures at all.
"""

from dataclasses import dataclass
from statistics import mean, median

from django.conf import settings
from django.db.models import Count, Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import POLICY, Audience, Fact
from reviews.members.queries import members_voices
from reviews.peer.models import Action, ActionStatus, AgreedRating, Decision, DecisionOutcome, Finding, FindingKind
from reviews.peer.queries import agreed_counts, met_counts
from reviews.reports.figures import quartiles
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
    "Findings are counted by the services that have them, and their words are not shown unless services are "
    "named; urgent concerns are only ever counted.",
]
THEME_KINDS = (FindingKind.STRENGTH, FindingKind.DEVELOPMENT)
GENERAL = "General"  # findings about no criterion in particular
MOVES_SHOWN = 3  # the biggest rises and falls on the year before, on the first page


def minimum_services():
    return settings.NETWORK_MINIMUM_SERVICES


def network_sees(fact):
    """Whether the disclosure policy lets the network's administrators see this fact of every
    concluded review: the network report draws on no fact it does not."""
    return CycleState.CONCLUDED <= POLICY[fact].get(Audience.ADMIN, frozenset())


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
    ids = [c.pk for c in cycles]
    enough = len(cycles) >= minimum
    value_rows = list(edition.values.order_by("order").values_list("code", "name"))
    criteria_of_edition = list(Criterion.objects.filter(edition=edition).select_related("value")
                               .order_by("value__order", "order"))
    previous = _year_before(edition, year, criteria_of_edition) if enough else None
    compared = previous is not None and len(previous.cycle_ids) >= minimum
    shared_ids = [c.pk for c in criteria_of_edition if c.code in previous.shared] if compared else []
    counts = _counts_by_cycle_and_value(edition, criteria_of_edition, ids, shared_ids) if enough else {}
    services = _service_rows(cycles, counts, value_rows, names, year) if enough else []
    change = _change_on_year_before(counts, value_rows, previous, minimum)
    criteria = _criterion_rows(edition, criteria_of_edition, ids, previous, change, minimum) if enough else []
    ranked = sorted((row for row in criteria if row["percent_met"] is not None),
                    key=lambda row: (row["percent_met"], row["code"]))
    overall = [s["overall"] for s in services if s["overall"] is not None]
    value_summary = _value_summary(value_rows, services, minimum) if enough else []
    data = {
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "year": year,
        "names": names,
        "minimum": minimum,
        "rules": [rule.format(minimum=minimum) for rule in RULES],
        "enough": enough,
        "service_count": len(cycles) if enough else None,
        "values": [{"code": code, "name": name} for code, name in value_rows],
        "value_summary": value_summary,
        "median_overall": round(median(overall), 1) if len(overall) >= minimum else None,
        "criteria": criteria,
        # Five of each, or half of the criteria each when there are fewer than ten: never both.
        "strongest": list(reversed(ranked[len(ranked) - min(5, len(ranked) // 2):])),
        "weakest": ranked[: min(5, len(ranked) // 2)],
        "services": services,
        "by_sector": (by_sector := _groups(services, "sector", minimum)),
        "by_region": (by_region := _groups(services, "region", minimum)),
        "group_tables": [(_("Percent met by sector"), by_sector), (_("Percent met by region"), by_region)],
        "outcomes": _outcomes(ids, minimum) if enough else _count_rows({}, DecisionOutcome),
        "last_year_actions": _count_rows(_last_year_actions(latest.keys(), year, minimum), ActionStatus),
        "members": _members_by_value(edition, cycles, value_rows, minimum) if enough else [],
        "change": change,
        "themes": _themes(ids, value_rows, minimum, names) if enough else None,
        "urgent": _urgent_concerns(ids, minimum) if enough else None,
        "in_progress": _in_progress(edition, year, minimum),
    }
    data["value_extremes"] = _value_extremes(value_summary)
    data["moves"] = _biggest_moves(criteria)
    data["withheld"] = _withheld(data)
    return data


# --- decisions, reviews under way and urgent concerns -------------------------------------------


def _outcomes(cycle_ids, minimum):
    """The decisions of these reviews by outcome (one decision per review, so per service)."""
    if not network_sees(Fact.DECISION):
        return _count_rows({}, DecisionOutcome)
    counts = dict(Decision.objects.filter(cycle__in=cycle_ids).values_list("outcome").annotate(n=Count("id")))
    return _count_rows(_suppressed(counts, minimum), DecisionOutcome)


def _in_progress(edition, year, minimum):
    """The edition's reviews opened in the year that are not final yet, by stage."""
    counts = dict(
        Cycle.objects.filter(edition=edition, opened_at__year=year, state__in=CycleState.BEFORE_FINAL)
        .values_list("state").annotate(n=Count("id")).order_by()
    )
    return _count_rows(_suppressed(counts, minimum), CycleState)


def _urgent_concerns(cycle_ids, minimum):
    """How many urgent concerns the final reviews raised, and in how many services: a count, never
    their words, and none when fewer than `minimum` services raised them."""
    if not network_sees(Fact.URGENT_CONCERNS):
        return None
    found = Finding.objects.filter(cycle__in=cycle_ids, kind=FindingKind.URGENT).aggregate(
        n=Count("id"), services=Count("cycle_id", distinct=True)
    )
    shown = _at_least(found["services"], minimum) is not None
    return {"shown": shown, "count": found["n"] if shown else None, "services": found["services"] if shown else None}


def _count_rows(counts, choices):
    """{rows: [{label, count}] in the order of the choices, under the words people read ("In progress"),
    never the stored values; count None where it is not shown; all_hidden: whether none is shown}."""
    order = {value: index for index, value in enumerate(choices.values)}
    rows = [{"label": str(choices(key).label), "count": n}
            for key, n in sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))]
    return {"rows": rows, "all_hidden": len(rows) > 1 and all(row["count"] is None for row in rows)}


# --- themes from findings -----------------------------------------------------------------------


def _themes(cycle_ids, value_rows, minimum, names):
    """Per value (and "General" for findings about no criterion), how many services had a
    strength and how many an area for development; each count shown only when at least `minimum`
    services make it up. The findings' words only when services are named, and never an urgent
    concern's."""
    kinds = [kind for kind in THEME_KINDS if network_sees(Fact.STRENGTHS if kind == FindingKind.STRENGTH
                                                          else Fact.DEVELOPMENT)]
    services = {}
    for cycle_id, kind, value_code in Finding.objects.filter(cycle__in=cycle_ids, kind__in=kinds).values_list(
        "cycle_id", "kind", "criterion__value__code"
    ):
        services.setdefault((value_code, kind), set()).add(cycle_id)
    rows = []
    for code, name in [*value_rows, (None, _(GENERAL))]:
        shown = [_at_least(len(services.get((code, kind), ())), minimum) if kind in kinds else None
                 for kind in THEME_KINDS]
        rows.append({"code": code, "name": name, "counts": shown,
                     **{str(kind): n for kind, n in zip(THEME_KINDS, shown, strict=True)}})
    return {"rows": rows, "kinds": [str(kind) for kind in kinds],
            "words": _finding_words(cycle_ids, kinds, value_rows) if names else []}


def _at_least(count, minimum):
    """The count, or None where it is made of fewer than `minimum` services (none at all is shown)."""
    return count if count == 0 or count >= minimum else None


def _finding_words(cycle_ids, kinds, value_rows):
    """Strengths and areas for development in the teams' words, by value (strengths first, then
    by criterion and service), each under its service's name: only in a report that names
    services, at the administrator's request."""
    value_order = {code: index for index, (code, _name) in enumerate(value_rows)}
    kind_order = {kind: index for index, kind in enumerate(THEME_KINDS)}
    labels = dict(FindingKind.choices)
    rows = Finding.objects.filter(cycle__in=cycle_ids, kind__in=kinds).values_list(
        "criterion__value__code", "criterion__value__name", "criterion__order", "criterion__code", "kind",
        "cycle__service__name", "text",
    )
    grouped = {}
    for _code, value, _order, criterion, kind, service, text in sorted(
        rows, key=lambda row: (value_order.get(row[0], len(value_order)), kind_order[row[4]], row[2] or 0, row[5])
    ):
        grouped.setdefault(value or _(GENERAL), []).append(
            {"criterion": criterion or "", "kind": str(labels[kind]), "service": service, "text": text}
        )
    return [{"value": value, "findings": findings} for value, findings in grouped.items()]


# --- change on the year before ------------------------------------------------------------------


@dataclass
class YearBefore:
    """The year before's final reviews in the same framework (of whichever edition), and the
    criteria they share with this edition."""

    year: int
    cycle_ids: list
    versions: list  # the editions last year's reviews were made against
    shared: list  # criterion codes of this edition that every one of those editions has too
    new: list  # this edition's codes that one of them lacks
    dropped: int  # criteria of those editions that this one no longer has
    this_version: str


def _year_before(edition, year, criteria_of_edition):
    latest = {}
    for cycle_id, service_id, edition_id, version in (
        Cycle.objects.filter(edition__framework_id=edition.framework_id, state__in=CycleState.CONCLUDED,
                             opened_at__year=year - 1)
        .order_by("opened_at", "pk").values_list("pk", "service_id", "edition_id", "edition__version")
    ):
        latest[service_id] = (cycle_id, edition_id, version)
    editions = {edition_id: version for _cycle, edition_id, version in latest.values()}
    codes = {edition_id: set() for edition_id in editions}
    for edition_id, code in Criterion.objects.filter(edition_id__in=editions).values_list("edition_id", "code"):
        codes[edition_id].add(code)
    ours = [criterion.code for criterion in criteria_of_edition]
    in_all = set.intersection(*codes.values()) if codes else set()
    return YearBefore(
        year=year - 1, cycle_ids=[cycle_id for cycle_id, _e, _v in latest.values()],
        versions=sorted(set(editions.values())), shared=[code for code in ours if code in in_all],
        new=[code for code in ours if code not in in_all],
        dropped=len(set().union(*(found for edition_id, found in codes.items() if edition_id != edition.pk)) - set(ours)),
        this_version=edition.version,
    )


def _comparison_note(previous):
    """What the comparison is made on, in words: like with like."""
    shared, total = len(previous.shared), len(previous.shared) + len(previous.new)
    if previous.versions == [previous.this_version] and not previous.new:
        return _("Both years' reviews were made against %(version)s: compared on all its %(total)d criteria.") % {
            "version": previous.this_version, "total": total}
    versions = _(" and ").join(previous.versions)
    which = _("both editions share") if len(previous.versions) == 1 else _("all these editions share")
    note = ngettext(
        "%(year)d's reviews were made against %(versions)s: compared on the %(shared)d criterion %(which)s",
        "%(year)d's reviews were made against %(versions)s: compared on the %(shared)d criteria %(which)s",
        shared,
    ) % {"year": previous.year, "versions": versions, "shared": shared, "which": which}
    if previous.new:
        note += ngettext("; %(count)d criterion is new in %(version)s", "; %(count)d criteria are new in %(version)s",
                         len(previous.new)) % {"count": len(previous.new), "version": previous.this_version}
        note += f" ({', '.join(previous.new)})"
    if previous.dropped:
        older = _(" and ").join(version for version in previous.versions if version != previous.this_version)
        note += ngettext("; %(count)d criterion of %(older)s is not in %(version)s",
                         "; %(count)d criteria of %(older)s are not in %(version)s",
                         previous.dropped) % {"count": previous.dropped, "older": older, "version": previous.this_version}
    return note + "."


def _change_on_year_before(counts, value_rows, previous, minimum):
    """Per value, the median service's percent met on the shared criteria this year and the year
    before, and the change; overall too. Nothing when either year has fewer than `minimum`
    services."""
    if previous is None:
        return {"shown": False, "year": None, "reason": None}
    if len(previous.cycle_ids) < minimum or not previous.shared:
        reason = (_("fewer than %(minimum)d services had a final review in %(year)d") if previous.shared
                  else _("the editions share no criteria")) % {"minimum": minimum, "year": previous.year}
        return {"shown": False, "year": previous.year, "reason": reason}
    this_year = _percents({cycle_id: {code: (row["shared_met"], row["shared_applicable"]) for code, row in by_value.items()}
                           for cycle_id, by_value in counts.items()})
    year_before = _percents(_shared_counts_before(previous))
    values = [_moved(name, this_year.get(code, []), year_before.get(code, []), minimum) | {"code": code}
              for code, name in value_rows]
    return {
        "shown": True, "year": previous.year, "reason": None, "note": _comparison_note(previous),
        "shared": len(previous.shared), "new": previous.new, "versions": previous.versions,
        "services_before": len(previous.cycle_ids),
        "overall": _moved(_("All shared criteria"), this_year.get(None, []), year_before.get(None, []), minimum),
        "values": values,
    }


def _shared_counts_before(previous):
    """{cycle id: {value code: (met, applicable)}} of the year before's reviews on the shared
    criteria, each counted met at its own edition's top level (the year before may mix editions)."""
    per_cycle = {}
    for row in agreed_counts(previous.cycle_ids, "cycle_id", "criterion__value__code").filter(
        criterion__code__in=previous.shared
    ):
        per_cycle.setdefault(row["cycle_id"], {})[row["criterion__value__code"]] = (row["met"], row["applicable"])
    return per_cycle


def _percents(per_cycle):
    """{value code: [each service's percent met on the value]}, and under None each service's
    percent met overall, from {cycle id: {value code: (met, applicable)}}."""
    percents = {}
    for by_value in per_cycle.values():
        overall = [0, 0]
        for code, (met, applicable) in by_value.items():
            overall[0] += met
            overall[1] += applicable
            if applicable:
                percents.setdefault(code, []).append(percent_met(met, applicable))
        if overall[1]:
            percents.setdefault(None, []).append(percent_met(*overall))
    return percents


def _moved(name, this_year, year_before, minimum):
    enough = len(this_year) >= minimum and len(year_before) >= minimum
    this, before = (round(median(this_year), 1), round(median(year_before), 1)) if enough else (None, None)
    change = round(this - before, 1) if enough else None
    return {"name": name, "enough": enough, "this": this, "before": before, "change": change,
            "signed": signed(change), "in_words": change_in_words(change)}


def signed(change):
    """A change in points as people write it: +2.5, −1.0, 0.0."""
    if change is None:
        return None
    return f"+{change:.1f}" if change > 0 else f"−{-change:.1f}" if change < 0 else "0.0"


def change_in_words(change):
    if change is None:
        return None
    if change == 0:
        return _("unchanged")
    words = _("up %(points).1f points") if change > 0 else _("down %(points).1f points")
    return words % {"points": abs(change)}


def _biggest_moves(criteria):
    """The criteria whose share of services meeting them rose most and fell most on the year before."""
    moved = [row for row in criteria if row.get("change")]
    rises = sorted((row for row in moved if row["change"] > 0), key=lambda row: (-row["change"], row["code"]))
    falls = sorted((row for row in moved if row["change"] < 0), key=lambda row: (row["change"], row["code"]))
    return {"rises": rises[:MOVES_SHOWN], "falls": falls[:MOVES_SHOWN]}


# --- values, criteria and services --------------------------------------------------------------


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


def _criterion_rows(edition, criteria_of_edition, cycle_ids, previous, change, minimum):
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


def _counts_by_cycle_and_value(edition, criteria_of_edition, cycle_ids, shared_ids):
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


def _service_rows(cycles, counts, value_rows, names, year):
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


def _value_summary(value_rows, services, minimum):
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


def _value_extremes(value_summary):
    """The values services meet most and least of, on average: two of each (one when there are
    fewer than four values shown), never the same value in both."""
    shown = sorted((row for row in value_summary if row["mean"] is not None), key=lambda row: (-row["mean"], row["code"]))
    count = 2 if len(shown) >= 4 else len(shown) // 2
    return {"strongest": shown[:count], "weakest": list(reversed(shown[len(shown) - count:])) if count else []}


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


# --- what was withheld --------------------------------------------------------------------------


def _hidden(rows, key="count"):
    return [row for row in rows if row[key] is None]


def _withheld(data):
    """Every figure the report withholds, in words, for its first page: each is about fewer than
    the minimum of services."""
    if not data["enough"]:
        return [_("Every figure about this year's final reviews: fewer than %(minimum)d services had one.")
                % {"minimum": data["minimum"]}] + _withheld_counts(data["in_progress"], _("Reviews under way at the stages"))
    items = []
    items += _withheld_counts(data["outcomes"], _("Decisions"))
    items += _withheld_counts(data["last_year_actions"], _("Actions from %(year)d") % {"year": data["year"] - 1})
    items += _withheld_counts(data["in_progress"], _("Reviews under way at the stages"))
    if data["urgent"] and not data["urgent"]["shown"]:
        items.append(_("The number of urgent concerns raised"))
    items += _withheld_rows(_hidden(data["value_summary"], "median"), _("Percent met of values"))
    items += _withheld_rows(_hidden(data["criteria"], "percent_met"), _("Percent met of criteria"), "code")
    for title, groups in data["group_tables"]:
        items += _withheld_rows([g for g in groups if not g["enough"]], title)
    items += _withheld_rows([row for row in data["members"] if not row["enough"]], _("Members' answers on"))
    items += _withheld_themes(data["themes"])
    items += _withheld_change(data)
    return items


def _withheld_counts(counts, title):
    hidden = [row["label"] for row in counts["rows"] if row["count"] is None]
    return [f"{title}: {', '.join(hidden)}"] if hidden else []


def _withheld_rows(rows, title, key="name"):
    return [f"{title}: {', '.join(str(row[key]) for row in rows)}"] if rows else []


def _withheld_themes(themes):
    labels = dict(FindingKind.choices)
    cells = [f"{row['name']} ({str(labels[kind]).lower()})" for row in themes["rows"]
             for kind in themes["kinds"] if row[kind] is None]
    return [_("Services with findings in: %(cells)s") % {"cells": ", ".join(cells)}] if cells else []


def _withheld_change(data):
    change = data["change"]
    if change["year"] is None:
        return []
    if not change["shown"]:
        return [_("The change on %(year)d: %(reason)s") % {"year": change["year"], "reason": change["reason"]}]
    items = []
    if not change["overall"]["enough"]:
        items.append(_("The change on %(year)d of the median service") % {"year": change["year"]})
    items += _withheld_rows([row for row in change["values"] if not row["enough"]],
                            _("The change on %(year)d of values") % {"year": change["year"]})
    items += _withheld_rows([row for row in data["criteria"] if row["compared"] and row["change"] is None],
                            _("The change on %(year)d of criteria") % {"year": change["year"]}, "code")
    return items
