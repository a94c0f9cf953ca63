"""The agreed and the staff's own ratings of a portfolio's reviews, tallied by value: met (the top
level), partly met (between), not met (the lowest level), not applicable and not yet rated. One
query each."""

from django.db.models import Count

from reviews.peer.models import AgreedRating
from reviews.scoring import percent_met, percentage
from reviews.selfassessment.models import Perspective, SelfRating
from standards.models import RatingLevel

OUTCOMES = ("met", "partly", "not_met")


def level_bounds(edition_ids):
    """{edition id: (bottom level value, top level value)}: one query."""
    found = {}
    for edition_id, value in RatingLevel.objects.filter(edition__in=set(edition_ids)).values_list("edition_id", "value"):
        low, high = found.get(edition_id, (value, value))
        found[edition_id] = (min(low, value), max(high, value))
    return found


def _outcome(level, not_applicable, bounds):
    """"met" (the top level), "not_met" (the lowest), "partly" (between), "not_applicable" or "unrated"."""
    if not_applicable:
        return "not_applicable"
    if level is None or bounds is None:
        return "unrated"
    low, high = bounds
    return "met" if level >= high else "not_met" if level <= low else "partly"


def empty_tally():
    return {"met": 0, "partly": 0, "not_met": 0, "not_applicable": 0, "unrated": 0, "tier_one_unmet": 0,
            "applicable": 0, "percent_met": None, "percent_partly": None, "percent_not_met": None}


def _finish(tally):
    applicable = tally["met"] + tally["partly"] + tally["not_met"]
    tally.update(applicable=applicable, percent_met=percent_met(tally["met"], applicable),
                 percent_partly=percentage(tally["partly"], applicable),
                 percent_not_met=percentage(tally["not_met"], applicable))
    return tally


def sum_tallies(tallies):
    total = empty_tally()
    for tally in tallies:
        for key in (*OUTCOMES, "not_applicable", "unrated", "tier_one_unmet"):
            total[key] += tally[key]
    return _finish(total)


def _tally_rows(rows, levels, editions):
    """{cycle id: {value code: tally}} from rows (cycle id, value code, tier or None, level, Not
    applicable, count) grouped by all but the count. Tuples, not dicts: a portfolio reads thousands."""
    tallies = {}
    for cycle_id, code, tier, level, not_applicable, count in rows:
        outcome = _outcome(level, not_applicable, levels.get(editions[cycle_id]))
        tally = tallies.setdefault(cycle_id, {}).setdefault(code, empty_tally())
        tally[outcome] += count
        if tier == 1 and outcome in ("partly", "not_met"):
            tally["tier_one_unmet"] += count
    for by_value in tallies.values():
        for tally in by_value.values():
            _finish(tally)
    return tallies


def agreed_tallies(cycle_ids, levels, editions):
    """The agreed ratings of these cycles by value: one query."""
    rows = (AgreedRating.objects.filter(cycle__in=cycle_ids)
            .values_list("cycle_id", "criterion__value__code", "criterion__tier", "level__value", "not_applicable")
            .annotate(n=Count("pk")).order_by())
    return _tally_rows(rows, levels, editions)


def staff_tallies(cycles, levels):
    """The staff's own ratings of these cycles by value (no tier: it counts only for the agreed
    ratings' award rule): one query."""
    editions = {cycle.pk: cycle.edition_id for cycle in cycles}
    rows = (SelfRating.objects.filter(cycle__in=list(editions), perspective=Perspective.STAFF)
            .values_list("cycle_id", "criterion__value__code", "level__value", "not_applicable")
            .annotate(n=Count("pk")).order_by())
    return _tally_rows(((cycle, code, None, level, na, n) for cycle, code, level, na, n in rows), levels, editions)
