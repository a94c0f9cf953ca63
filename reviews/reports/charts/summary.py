"""The one-page summary's chart: each value in three voices side by side (agreed, the staff's own
rating, the members' answers) and, where the reader may see it, the network's position; one row
per value, so each value reads as a small chart of its own. Each panel has its title and its own
key under it, at a size people can read. All the summaries of one PDF are bands of one figure
(see drawing.py)."""

from functools import lru_cache

from matplotlib.textpath import TextPath

from reviews.reports.charts.drawing import (
    ANSWERS,
    BLUE,
    FONT,
    GREY,
    INK,
    OUTCOMES,
    WIDTH_IN,
    Chart,
    bars,
    render,
)

PANEL = 100  # each panel is a 0–100 % scale
GAP = 12
KEY_FONT = 6.5  # points; the figure prints at about its own width, so this is the size on paper
NAME_FONT = FONT - 0.5
TITLE_FONT = FONT - 0.3
KEY_LINE = KEY_FONT * 1.35
KEY_PAD, KEY_SPACE = 1.8, 5  # points between a key's mark and its label, and between keys  # points from one line of keys to the next
RIGHT_IN = 0.1
MIDDLE_HALF = "#d4d4d4"

OUTCOME_KEYS = [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")]
ANSWER_KEYS = [("yes", "Yes"), ("sometimes", "Sometimes"), ("no", "No")]
NETWORK_KEYS = [("●", BLUE, "This service"), ("┃", INK, "Median"), ("■", MIDDLE_HALF, "Middle half")]


def row_height(count):
    """Inches per value: fewer values get taller rows, so that the chart fills its part of the page."""
    return min(0.34, max(0.17, 2.0 / max(count, 1)))


@lru_cache(maxsize=512)
def _width(text, size):
    """Points from where a text starts to the right edge of its ink, at `size` in the figure's font."""
    return TextPath((0, 0), text, size=size).get_extents().x1 if text.strip() else size * 0.3


def _panels(row):
    voices = row["voices"]
    panels = [("agreed", "Agreed")]
    if voices.get("staff"):
        panels.append(("staff", "Staff's own rating"))
    if voices.get("members"):
        panels.append(("members", "Members' answers"))
    if voices.get("network"):
        panels.append(("network", f"Network ({row['network_services']} services)"))
    return panels


def _keys(voice):
    """A panel's key: [(mark, colour, label)]."""
    if voice == "members":
        return [("■", ANSWERS[answer], label) for answer, label in ANSWER_KEYS]
    if voice == "network":
        return NETWORK_KEYS
    return [("■", OUTCOMES[outcome], label) for outcome, label in OUTCOME_KEYS]


def _key_lines(keys, room):
    """The keys laid out in lines no wider than `room` points: [[(mark, colour, label, x)]]."""
    lines, line, x = [], [], 0.0
    for mark, colour, label in keys:
        width = _width(mark, KEY_FONT) + KEY_PAD + _width(label, KEY_FONT)
        if line and x + width > room:
            lines.append(line)
            line, x = [], 0.0
        line.append((mark, colour, label, x))
        x += width + KEY_SPACE
    return [*lines, line]


class _Layout:
    """Where things go, in points and inches, for one service's chart."""

    def __init__(self, row, row_in):
        self.panels = _panels(row)
        self.names = [_fitted_name(value["name"]) for value in row["values"]]
        widest = max(_width(name, NAME_FONT) for name in self.names)
        self.left_in = min(1.5, max(0.75, (widest + 8) / 72))
        plot_pt = (WIDTH_IN - self.left_in - RIGHT_IN) * 72
        units = len(self.panels) * (PANEL + GAP) - GAP
        self.points_per_unit = plot_pt / (units + 2.5)
        room = (PANEL + GAP * 0.8) * self.points_per_unit
        self.keys = {voice: _key_lines(_keys(voice), room) for voice, _title in self.panels}
        lines = max(len(keys) for keys in self.keys.values())
        self.top_in = (TITLE_FONT + 4 + lines * KEY_LINE + 3) / 72
        self.row_in = row_in
        self.units = units


def _fitted_name(name, limit=100):
    """A value's name, cut with an ellipsis where it would push the panels aside."""
    if _width(name, NAME_FONT) <= limit:
        return name
    while name and _width(name + "…", NAME_FONT) > limit:
        name = name[:-1]
    return name.rstrip() + "…"


def _draw_keys(axes, left, top, top_pt, lines):
    for number, line in enumerate(lines):
        dy = top_pt - (TITLE_FONT + 4 + KEY_LINE * (number + 0.5))
        for mark, colour, label, x in line:
            axes.annotate(mark, (left, top), xytext=(x, dy), textcoords="offset points", va="center",
                          fontsize=KEY_FONT, color=colour, annotation_clip=False)
            axes.annotate(label, (left, top), xytext=(x + _width(mark, KEY_FONT) + KEY_PAD, dy), textcoords="offset points",
                          va="center", fontsize=KEY_FONT, color=INK, annotation_clip=False)


def _stacked(axes, left, y, shares, colours, labelled):
    spans, fills = [], []
    start = left
    for share, colour in zip(shares, colours, strict=True):
        spans.append((start, share, y))
        fills.append(colour)
        start += share
    bars(axes, spans, fills, 0.62)
    first = shares[0]
    if labelled is not None and first >= 16:
        axes.text(left + first / 2, y, labelled, ha="center", va="center", fontsize=FONT - 1.2, color="white", zorder=5)


def _outcome_cell(axes, left, y, tally, voice):
    if not tally or not tally["applicable"]:
        if tally and tally["unrated"]:
            words = "not yet rated"
        else:
            words = "not rated by the staff" if voice == "staff" and not tally["not_applicable"] else "nothing applies"
        axes.text(left + 1, y, words, va="center", fontsize=FONT - 1, color=INK)
        return
    shares = [100 * tally[outcome] / tally["applicable"] for outcome, _label in OUTCOME_KEYS]
    _stacked(axes, left, y, shares, [OUTCOMES[o] for o, _label in OUTCOME_KEYS], f"{shares[0]:.0f}%")


def _members_cell(axes, left, y, members):
    if not members:
        axes.text(left + 1, y, "too few answers", va="center", fontsize=FONT - 1, color=INK)
        return
    shares = [members[f"share_{answer}"] or 0 for answer, _label in ANSWER_KEYS]
    _stacked(axes, left, y, shares, [ANSWERS[a] for a, _label in ANSWER_KEYS], f"{shares[0]:.0f}%")


def _network_cell(axes, left, y, network, own):
    axes.hlines(y, left, left + PANEL, colors="#eeeeee", linewidths=0.6, zorder=0)
    if not network:
        axes.text(left + 1, y, "no network figure", va="center", fontsize=FONT - 1, color=INK)
        return
    bars(axes, [(left + network["q1"], max(network["q3"] - network["q1"], 0.8), y)], [MIDDLE_HALF], 0.62)
    axes.vlines(left + network["median"], y - 0.32, y + 0.32, colors=INK, linewidths=1.2, zorder=3)
    if own is not None:
        axes.scatter([left + own], [y], s=16, color=BLUE, zorder=4, clip_on=False)


def chart_height(row, row_in):
    """Inches the chart of `row` takes with `row_in` inches per value."""
    return _Layout(row, row_in).top_in + 0.06 + row_in * len(row["values"])


def voices_chart(row, row_in=None):
    """One service's values, each in the voices this reader sees; `row_in` inches per value."""
    values = row["values"]
    count = len(values)
    layout = _Layout(row, row_in or row_height(count))

    def draw(axes):
        axes.set_xlim(-1.5, layout.units + 1)
        axes.set_ylim(-0.55, count - 0.45)
        top, top_pt = count - 0.45, layout.top_in * 72
        for index, name in enumerate(layout.names):
            axes.text(-2.5, count - 1 - index, name, ha="right", va="center", fontsize=NAME_FONT, color=INK)
        for number, (voice, title) in enumerate(layout.panels):
            left = number * (PANEL + GAP)
            axes.annotate(title, (left, top), xytext=(0, top_pt - TITLE_FONT), textcoords="offset points",
                          va="baseline", fontsize=TITLE_FONT, fontweight="bold", color=INK, annotation_clip=False)
            _draw_keys(axes, left, top, top_pt, layout.keys[voice])
            axes.vlines([left, left + PANEL], -0.5, count - 0.5, colors=GREY, linewidths=0.4, zorder=0)
            for index, value in enumerate(values):
                y = count - 1 - index
                if voice == "members":
                    _members_cell(axes, left, y, value["members"])
                elif voice == "network":
                    _network_cell(axes, left, y, value["network"], value["percent_met"])
                else:
                    _outcome_cell(axes, left, y, value[voice], voice)

    height = chart_height(row, layout.row_in)
    return Chart(f"voices-{row['service'].pk}", "Each value in three voices", _alt(row, layout.panels), height, draw,
                 left_in=layout.left_in, right_in=RIGHT_IN, bottom_in=0.06, top_in=layout.top_in)


def _alt(row, panels):
    names = {"agreed": "the agreed ratings (met, partly met, not met)",
             "staff": "the staff's own ratings (met, partly met, not met)",
             "members": "the members' answers (yes, sometimes, no)",
             "network": "this service's percent met against the network's median and middle half"}
    shown = [names[voice] for voice, _title in panels]
    alt = ("Chart of each value in a row, with side by side " + ", ".join(shown[:-1])
           + (" and " if len(shown) > 1 else "") + shown[-1] + ".")
    weakest = sorted((v for v in row["values"] if v["agreed"]["applicable"]),
                     key=lambda v: v["agreed"]["percent_met"])[:2]
    if weakest:
        alt += " Fewest criteria met: " + ", ".join(f"{v['name']} ({v['agreed']['percent_met']:.0f}% met, "
                                                   f"{v['agreed']['percent_partly']:.0f}% partly met)" for v in weakest) + "."
    return alt + " The numbers are in the table after the chart."


def summary_charts(rows, row_inches=None):
    """{service id: its chart}, for the rows with a settled review to show: one figure for all.
    `row_inches` ({service id: inches per value}) makes a crowded page's chart shorter."""
    row_inches = row_inches or {}
    charts = [voices_chart(row, row_inches.get(row["service"].pk)) for row in rows
              if row["latest"] is not None and row["values"]]
    return {int(chart.name.split("-")[1]): chart for chart in render(charts)}
