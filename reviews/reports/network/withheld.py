"""What the network report withholds, in words, for its first page."""

from django.utils.translation import gettext as _

from reviews.peer.models import FindingKind


def _hidden(rows, key="count"):
    return [row for row in rows if row[key] is None]


def withheld(data):
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
