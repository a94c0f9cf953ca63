"""How much a one-page summary shows, so that it always fits its one page: each list (overdue
actions, urgent concerns, dates to come) to a few items with "and N more", its texts cut at a word,
and the chart's rows shorter on a crowded page. The heights are estimates in millimetres of the A4
page, measured on rendered summaries (the page holds 268 mm between its margins), rounded up."""

import math
from dataclasses import dataclass, field

from reviews.reports.charts.summary import chart_height, row_height

PAGE_MM = 262  # the 268 mm between the margins, less room to spare
TOP_MM = 65  # title, organisation, the decision and the row of figures
UNDER_WAY_NOTE_MM = 8.5
FIGURE_MM = 7  # the chart's caption and margin
CHART_MM_PER_IN = 26.0  # the chart's figure prints at 182 mm for its 7 inches
TABLE_HEAD_MM, TABLE_ROW_MM, ROOMY_ROW_MM = 6, 3.9, 5.6
NOTE_LINE_MM, NOTE_CHARS_PER_LINE = 3.45, 120
LIST_HEAD_MM, LIST_LINE_MM, LIST_ITEM_MM = 8, 3.45, 0.7
LIST_CHARS_PER_LINE = 31
URGENT_BOX_MM = 5  # the urgent concerns' framed box
FILL_MM = 240  # a page with less than this gets a roomier table and taller chart rows
TALLEST_ROW_IN = 0.5
NOTE_CHARS = 210  # the note under the table, before the network's and the trend's sentences

# From the most a page shows to the least: (items a list shows, characters an item's text keeps,
# the chart's inches per value at most).
STEPS = [(3, 120, 0.34), (3, 80, 0.34), (2, 80, 0.34), (2, 80, 0.15), (2, 50, 0.15), (1, 50, 0.15), (1, 40, 0.12)]


@dataclass
class Shown:
    """The first items of a list, each with its text cut short, and how many more there are."""

    items: list = field(default_factory=list)  # [(item, text)]
    more: int = 0


@dataclass
class SummaryFit:
    overdue: Shown
    urgent: Shown
    dates: Shown
    chars: int
    row_in: float  # the chart's inches per value
    roomy: bool = False  # the table's rows taller, its type larger: a page with few values


def short(text, chars):
    """`text` cut at a word to at most `chars` characters, with an ellipsis where cut."""
    text = " ".join(str(text).split())
    if len(text) <= chars:
        return text
    cut = text[: chars - 1].rsplit(" ", 1)[0] if " " in text[: chars - 1] else text[: chars - 1]
    return cut.rstrip(" ,;:.-–") + "…"


def _shown(items, most, chars, text):
    items = list(items)
    return Shown([(item, short(text(item), chars)) for item in items[:most]], max(len(items) - most, 0))


def _fit(row, most, chars, row_in):
    return SummaryFit(
        _shown(row["overdue_actions"], most, chars, lambda action: action.description),
        _shown(row["urgent_concerns"], most, chars, lambda finding: finding.text),
        _shown(row["next_dates"], most + 1, chars, lambda next_date: next_date["label"]),
        chars, row_in)


def _list_mm(shown, extra):
    """A list's height: its heading, each item's lines (its text and `extra` characters after it)."""
    if not shown.items:
        return LIST_HEAD_MM + LIST_LINE_MM
    lines = sum(math.ceil((len(text) + extra) / LIST_CHARS_PER_LINE) for _item, text in shown.items)
    return (LIST_HEAD_MM + lines * LIST_LINE_MM + len(shown.items) * LIST_ITEM_MM + 1.5
            + (LIST_LINE_MM + 1 if shown.more else 0))


def lists_mm(fit):
    return max(_list_mm(fit.overdue, 20), _list_mm(fit.urgent, 46) + (URGENT_BOX_MM if fit.urgent.items else 0),
               _list_mm(fit.dates, 20))


def _note_mm(row):
    chars = NOTE_CHARS + (100 if row["voices"].get("network") else 0)
    trend = row.get("trend") or []
    if len(trend) > 1:
        chars += 10 + sum(len(str(point.get("label", ""))) + 24 for point in trend) + len(str(row.get("trend_note") or ""))
    return math.ceil(chars / NOTE_CHARS_PER_LINE) * NOTE_LINE_MM + 2.5


def _results_mm(row, row_in):
    """The settled review's page above its lists: the top, the chart, the table and its note."""
    values = len(row["values"])
    chart = FIGURE_MM + chart_height(row, row_in) * CHART_MM_PER_IN if values else 0
    return (TOP_MM + (UNDER_WAY_NOTE_MM if row.get("under_way") else 0) + chart
            + TABLE_HEAD_MM + TABLE_ROW_MM * values + _note_mm(row))


def _fill(row, fit, values):
    """Taller table rows, then taller chart rows, on a page with room to spare."""
    spare = FILL_MM - _page_mm(row, fit)
    if spare > (ROOMY_ROW_MM - TABLE_ROW_MM) * values:
        fit.roomy = True
        spare -= (ROOMY_ROW_MM - TABLE_ROW_MM) * values
    if spare > 0:
        fit.row_in = min(TALLEST_ROW_IN, max(fit.row_in, fit.row_in + spare / (values * CHART_MM_PER_IN)))


def _under_way_mm(review):
    """A review under way's page above its lists: the top, its stages and its dates."""
    return TOP_MM + 2 * (TABLE_HEAD_MM + LIST_HEAD_MM) + TABLE_ROW_MM * 1.1 * (len(review["stages"]) + len(review["dates"]))


def _page_mm(row, fit):
    if row.get("latest"):
        above = _results_mm(row, fit.row_in)
    elif row.get("under_way"):
        above = _under_way_mm(row["under_way"])
    else:
        above = TOP_MM
    return above + lists_mm(fit)


def summary_fit(row):
    """The most of `row`'s summary that fits its page; on a page with room to spare, taller chart
    rows, so that the page is well filled."""
    values = len(row.get("values") or [])
    for most, chars, row_in in STEPS:
        fit = _fit(row, most, chars, min(row_in, row_height(values)))
        if _page_mm(row, fit) <= PAGE_MM:
            break
    if row.get("latest") and values:
        _fill(row, fit, values)
    return fit


def summary_fits(rows):
    """{service id: the fit of its summary}."""
    return {row["service"].pk: summary_fit(row) for row in rows}
