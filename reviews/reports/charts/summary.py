"""The one-page summary's chart: each value in three voices side by side (agreed, the staff's own
rating, the members' answers) and, where the reader may see it, the network's position; one row
per value, so each value reads as a small chart of its own. All the summaries of one PDF are
bands of one figure (see drawing.py)."""

from reviews.reports.charts.drawing import (
    ANSWERS,
    BLUE,
    FONT,
    GREY,
    INK,
    OUTCOMES,
    Chart,
    bars,
    render,
)

PANEL = 100  # each panel is a 0–100 % scale
GAP = 16


def row_height(count):
    """Inches per value: fewer values get taller rows, so that the chart fills its part of the page."""
    return min(0.34, max(0.19, 2.0 / max(count, 1)))

OUTCOME_KEYS = [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")]
ANSWER_KEYS = [("yes", "Yes"), ("sometimes", "Sometimes"), ("no", "No")]
NETWORK_KEYS = [("#dddddd", "Middle half"), (INK, "Median"), (BLUE, "This service")]


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


def _key(axes, left, y, items):
    """A row of small colour keys inside a panel's width: [(colour, label)]."""
    x = left
    for colour, label in items:
        axes.scatter([x + 1.5], [y], s=9, marker="s", color=colour, clip_on=False, zorder=4)
        axes.text(x + 4, y, label, va="center", fontsize=FONT - 2, color=INK, clip_on=False)
        x += 9 + 2.55 * len(label)


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
        axes.text(left + first / 2, y, labelled, ha="center", va="center", fontsize=FONT - 1.5, color="white", zorder=5)


def _outcome_cell(axes, left, y, tally):
    if not tally or not tally["applicable"]:
        axes.text(left + 1, y, "not yet rated" if tally and tally["unrated"] else "nothing applies",
                  va="center", fontsize=FONT - 1.5, color=INK)
        return
    shares = [100 * tally[outcome] / tally["applicable"] for outcome, _label in OUTCOME_KEYS]
    _stacked(axes, left, y, shares, [OUTCOMES[o] for o, _label in OUTCOME_KEYS], f"{shares[0]:.0f}%")


def _members_cell(axes, left, y, members):
    if not members:
        axes.text(left + 1, y, "too few answers", va="center", fontsize=FONT - 1.5, color=INK)
        return
    shares = [members[f"share_{answer}"] or 0 for answer, _label in ANSWER_KEYS]
    _stacked(axes, left, y, shares, [ANSWERS[a] for a, _label in ANSWER_KEYS], f"{shares[0]:.0f}%")


def _network_cell(axes, left, y, network, own):
    axes.hlines(y, left, left + PANEL, colors="#eeeeee", linewidths=0.6, zorder=0)
    if not network:
        axes.text(left + 1, y, "no network figure", va="center", fontsize=FONT - 1.5, color=INK)
        return
    bars(axes, [(left + network["q1"], max(network["q3"] - network["q1"], 0.8), y)], ["#dddddd"], 0.62)
    axes.vlines(left + network["median"], y - 0.32, y + 0.32, colors=INK, linewidths=1.2, zorder=3)
    if own is not None:
        axes.scatter([left + own], [y], s=16, color=BLUE, zorder=4)


def voices_chart(row):
    """One service's values, each in the voices this reader sees."""
    values = row["values"]
    panels = _panels(row)
    count = len(values)

    def draw(axes):
        width = len(panels) * (PANEL + GAP) - GAP
        axes.set_xlim(-1.5, width + 1)
        axes.set_ylim(-0.55, count - 0.45)
        for index, value in enumerate(values):
            axes.text(-2.5, count - 1 - index, value["name"], ha="right", va="center", fontsize=FONT - 0.5, color=INK)
        for number, (voice, title) in enumerate(panels):
            left = number * (PANEL + GAP)
            axes.text(left, count - 0.45 + 1.05, title, fontsize=FONT - 0.5, fontweight="bold", color=INK, va="bottom",
                      clip_on=False)
            keys = {"members": [(ANSWERS[a], label) for a, label in ANSWER_KEYS], "network": NETWORK_KEYS}.get(
                voice, [(OUTCOMES[o], label) for o, label in OUTCOME_KEYS])
            _key(axes, left, count - 0.45 + 0.55, keys)
            axes.vlines([left, left + PANEL], -0.5, count - 0.5, colors=GREY, linewidths=0.4, zorder=0)
            for index, value in enumerate(values):
                y = count - 1 - index
                if voice == "members":
                    _members_cell(axes, left, y, value["members"])
                elif voice == "network":
                    _network_cell(axes, left, y, value["network"], value["percent_met"])
                else:
                    _outcome_cell(axes, left, y, value[voice])

    alt = _alt(row, panels)
    return Chart(f"voices-{row['service'].pk}", "Each value in three voices", alt, 0.5 + 0.08 + row_height(count) * count, draw,
                 left_in=1.25, right_in=0.12, bottom_in=0.06, top_in=0.5)


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


def summary_charts(rows):
    """{service id: its chart}, for the rows with a settled review to show: one figure for all."""
    charts = [voices_chart(row) for row in rows if row["latest"] is not None and row["values"]]
    return {int(chart.name.split("-")[1]): chart for chart in render(charts)}
