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

from statistics import median

from django.utils.translation import gettext as _

from reviews.peer.models import ActionStatus, DecisionOutcome
from reviews.reports.network.counts import count_rows, in_progress, last_year_actions, outcomes, urgent_concerns
from reviews.reports.network.results import (
    counts_by_cycle_and_value,
    criterion_rows,
    groups,
    members_by_value,
    service_rows,
    value_extremes,
    value_summary,
)
from reviews.reports.network.rules import RULES, final_reviews_of_year, minimum_services, network_sees, service_code
from reviews.reports.network.themes import themes
from reviews.reports.network.withheld import withheld
from reviews.reports.network.year_before import (
    biggest_moves,
    change_in_words,
    change_on_year_before,
    reviews_of_year_before,
    signed,
)
from standards.models import Criterion

__all__ = [
    "RULES", "change_in_words", "final_reviews_of_year", "minimum_services", "network_report_data", "network_sees",
    "service_code", "signed",
]


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
    previous = reviews_of_year_before(edition, year, criteria_of_edition) if enough else None
    compared = previous is not None and len(previous.cycle_ids) >= minimum
    shared_ids = [c.pk for c in criteria_of_edition if c.code in previous.shared] if compared else []
    counts = counts_by_cycle_and_value(edition, criteria_of_edition, ids, shared_ids) if enough else {}
    services = service_rows(cycles, counts, value_rows, names, year) if enough else []
    change = change_on_year_before(counts, value_rows, previous, minimum)
    criteria = criterion_rows(edition, criteria_of_edition, ids, previous, change, minimum) if enough else []
    ranked = sorted((row for row in criteria if row["percent_met"] is not None),
                    key=lambda row: (row["percent_met"], row["code"]))
    overall = [s["overall"] for s in services if s["overall"] is not None]
    summary = value_summary(value_rows, services, minimum) if enough else []
    data = {
        "edition": {"framework": edition.framework.name, "version": edition.version},
        "year": year,
        "names": names,
        "minimum": minimum,
        "rules": [rule.format(minimum=minimum) for rule in RULES],
        "enough": enough,
        "service_count": len(cycles) if enough else None,
        "values": [{"code": code, "name": name} for code, name in value_rows],
        "value_summary": summary,
        "median_overall": round(median(overall), 1) if len(overall) >= minimum else None,
        "criteria": criteria,
        # Five of each, or half of the criteria each when there are fewer than ten: never both.
        "strongest": list(reversed(ranked[len(ranked) - min(5, len(ranked) // 2):])),
        "weakest": ranked[: min(5, len(ranked) // 2)],
        "services": services,
        "by_sector": (by_sector := groups(services, "sector", minimum)),
        "by_region": (by_region := groups(services, "region", minimum)),
        "group_tables": [(_("Percent met by sector"), by_sector), (_("Percent met by region"), by_region)],
        "outcomes": outcomes(ids, minimum) if enough else count_rows({}, DecisionOutcome),
        "last_year_actions": count_rows(last_year_actions(latest.keys(), year, minimum), ActionStatus),
        "members": members_by_value(edition, cycles, value_rows, minimum) if enough else [],
        "change": change,
        "themes": themes(ids, value_rows, minimum, names) if enough else None,
        "urgent": urgent_concerns(ids, minimum) if enough else None,
        "in_progress": in_progress(edition, year, minimum),
    }
    data["value_extremes"] = value_extremes(summary)
    data["moves"] = biggest_moves(criteria)
    data["withheld"] = withheld(data)
    return data
