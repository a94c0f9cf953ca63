"""The change on the year before: the median service's percent met this year and the year before,
on the criteria both years' editions share, and the criteria that rose and fell most."""

from dataclasses import dataclass
from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import Cycle, CycleState
from reviews.peer.queries import agreed_counts
from reviews.scoring import percent_met
from standards.models import Criterion

MOVES_SHOWN = 3  # the biggest rises and falls on the year before, on the first page


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


def reviews_of_year_before(edition, year, criteria_of_edition):
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


def change_on_year_before(counts, value_rows, previous, minimum):
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


def biggest_moves(criteria):
    """The criteria whose share of services meeting them rose most and fell most on the year before."""
    moved = [row for row in criteria if row.get("change")]
    rises = sorted((row for row in moved if row["change"] > 0), key=lambda row: (-row["change"], row["code"]))
    falls = sorted((row for row in moved if row["change"] < 0), key=lambda row: (row["change"], row["code"]))
    return {"rises": rises[:MOVES_SHOWN], "falls": falls[:MOVES_SHOWN]}
