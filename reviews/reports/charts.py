"""Report charts: matplotlib's Figure API (never pyplot), Agg, a colour-blind-safe palette,
direct labels, and alt text for each chart.

Building and saving a matplotlib figure costs 60–110 ms whatever it holds, about as much as
laying out a whole report page. So all of a report's charts are drawn as bands of ONE figure,
rendered once, and the bands are cut apart and encoded as separate PNGs (each with its own alt
text and its numbers in a table beside it). That is the main reason our reports beat the naive
one-figure-per-chart way.
"""

import base64
import io
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

# Okabe & Ito's palette: distinguishable with the common kinds of colour blindness.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#BBBBBB"
INK = "#1d2329"
SERIES = {"staff": ORANGE, "agreed": BLUE}
ANSWERS = {"yes": BLUE, "sometimes": ORANGE, "no": VERMILLION}
OUTCOMES = {"met": GREEN, "partly": ORANGE, "not_met": VERMILLION}

WIDTH_IN = 7.0
DPI = 130
FONT = 7.5


@dataclass
class Chart:
    """One chart: how to draw it, its size, and what it says in words."""

    name: str
    title: str
    alt: str
    height_in: float
    draw: object  # callable(ax)
    left_in: float = 1.6
    right_in: float = 0.35
    bottom_in: float = 0.38
    top_in: float = 0.42  # room for the legend above the plot
    uri: str = field(default="", repr=False)


def render(charts):
    """Draws every chart as a band of one figure, renders once, and returns the charts with
    their PNG data URIs filled in."""
    charts = [chart for chart in charts if chart is not None]
    if not charts:
        return charts
    total = sum(chart.height_in for chart in charts)
    figure = Figure(figsize=(WIDTH_IN, total), dpi=DPI)
    figure.patch.set_facecolor("white")
    top = total
    for chart in charts:
        bottom = top - chart.height_in
        margin_bottom, margin_top, right = chart.bottom_in, chart.top_in, chart.right_in
        axes = figure.add_axes([
            chart.left_in / WIDTH_IN,
            (bottom + margin_bottom) / total,
            (WIDTH_IN - chart.left_in - right) / WIDTH_IN,
            (chart.height_in - margin_bottom - margin_top) / total,
        ])
        _style(axes)
        chart.draw(axes)
        top = bottom
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB")
    y = 0
    for chart in charts:
        height = round(chart.height_in * DPI)
        band = image.crop((0, y, image.width, min(y + height, image.height)))
        chart.uri = _png_uri(band)
        y += height
    return charts


def _png_uri(image):
    # An 8-bit RGB PNG: WeasyPrint embeds its compressed data as it is, where a palette image
    # (smaller) would be decoded and compressed again, which costs more than it saves.
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _style(axes):
    # Matplotlib's axis machinery (tick objects, locators, formatters) costs more than the rest
    # of a chart put together; our charts draw their few labels and grid lines themselves.
    axes.set_axis_off()


def _label(value):
    return "–" if value is None else f"{value:.0f}%"


def _percent_frame(axes, row_labels, top=None):
    """A 0–100 % horizontal scale with light grid lines, and a label for each row (top first)."""
    count = len(row_labels)
    top = count - 0.4 if top is None else top
    axes.set_xlim(-2.5, 112)  # a little room left of 0 %, so a dot at 0 % is whole
    axes.set_ylim(-0.6, top)
    axes.vlines([0, 25, 50, 75, 100], -0.6, count - 0.5, colors="#e6e6e6", linewidths=0.6, zorder=0)
    axes.hlines(-0.6, 0, 100, colors=GREY, linewidths=0.8, zorder=0)
    for tick in (0, 50, 100):  # every label is a text to lay out: three are enough on a percent scale
        axes.text(tick, -0.75, f"{tick}%", ha="center", va="top", fontsize=FONT - 0.5, color=INK)
    for index, text in enumerate(row_labels):
        axes.text(-1.5, count - 1 - index, text, ha="right", va="center", fontsize=FONT, color=INK)


def _bars(axes, spans, colours, height):
    """Horizontal bars as one collection: (left, width, y) each."""
    vertices = [[(left, y - height / 2), (left + width, y - height / 2), (left + width, y + height / 2),
                 (left, y + height / 2)] for left, width, y in spans]
    axes.add_collection(PolyCollection(vertices, facecolors=colours, linewidths=0, zorder=2))


def _legend(axes, items, y=1.02):
    """A row of colour keys above the plot: [(label, colour or marker spec)]."""
    x = 0.0
    for label, colour in items:
        # add_artist, not add_patch: a key in axes coordinates must not take part in autoscaling.
        axes.add_artist(Rectangle((x, y), 0.022, 0.035, transform=axes.transAxes, facecolor=colour, clip_on=False))
        axes.text(x + 0.03, y + 0.017, label, transform=axes.transAxes, va="center", fontsize=FONT, color=INK)
        x += 0.06 + 0.0165 * len(label)


# --- the charts -------------------------------------------------------------------------------


def by_value_chart(rows, voices=("staff", "agreed")):
    """Percent of criteria met in each value, in each voice, side by side (never combined)."""
    names = {"staff": "Staff (self)", "agreed": "Agreed"}

    def draw(axes):
        count = len(rows)
        bar = 0.8 / len(voices)
        _percent_frame(axes, [row["name"] for row in rows])
        spans, colours = [], []
        for index, voice in enumerate(voices):
            offset = ((len(voices) - 1) / 2 - index) * bar
            for i, row in enumerate(rows):
                spans.append((0, row[voice] or 0, count - 1 - i + offset))
                colours.append(SERIES[voice])
                if voice == "agreed":  # every figure is in the table beside the chart; the agreed one is labelled here
                    axes.text((row[voice] or 0) + 1.2, count - 1 - i + offset, _label(row[voice]), va="center",
                              fontsize=FONT - 1, color=INK)
        _bars(axes, spans, colours, bar * 0.92)
        _legend(axes, [(names[voice], SERIES[voice]) for voice in voices])

    best = max(rows, key=lambda r: r["agreed"] or -1) if rows else None
    worst = min(rows, key=lambda r: r["agreed"] if r["agreed"] is not None else 101) if rows else None
    spoken = {"staff": "staff's own rating", "agreed": "the agreed rating"}
    alt = (
        "Horizontal bar chart of the percent of criteria met in each value, in each voice side by side: "
        + ", ".join(spoken[voice] for voice in voices) + "."
    )
    if best and best["agreed"] is not None:
        alt += f" Highest agreed: {best['name']} at {best['agreed']:.0f}%. Lowest agreed: {worst['name']} at {worst['agreed']:.0f}%."
    alt += " The numbers are in the table after the chart."
    named = list(voices)
    title = "Criteria met by value: " + (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0])
    return Chart("by_value", title, alt, 0.55 + 0.42 * len(rows) + 0.3, draw)


def by_tier_chart(tiers):
    """Agreed ratings by tier: met, partly met and not met, with the award threshold marked."""
    labels = {1: "Tier 1: essential", 2: "Tier 2: expected", 3: "Tier 3: desirable"}
    names = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}

    def draw(axes):
        _percent_frame(axes, [labels[t["tier"]] for t in tiers])
        spans, colours = [], []
        for i, tier in enumerate(tiers):
            y = len(tiers) - 1 - i
            applicable = tier["applicable"] or 1
            left = 0
            for outcome in ("met", "partly", "not_met"):
                width = 100 * tier[outcome] / applicable
                spans.append((left, width, y))
                colours.append(OUTCOMES[outcome])
                if outcome == "met" and width >= 8:
                    axes.text(left + width / 2, y, f"{tier[outcome]} met", va="center", ha="center", fontsize=FONT,
                              color="white")
                left += width
            if not tier["applicable"]:
                axes.text(1, y, "no criteria apply", va="center", fontsize=FONT - 0.5, color=INK)
                continue
            axes.vlines(tier["threshold"], y - 0.38, y + 0.38, colors=INK, linewidths=1.4, zorder=3)
            axes.text(tier["threshold"], y + 0.42, f"needs {tier['threshold']}%", fontsize=FONT - 1.5, ha="center", va="bottom")
        _bars(axes, spans, colours, 0.6)
        _legend(axes, [(names[outcome], OUTCOMES[outcome]) for outcome in ("met", "partly", "not_met")], y=1.08)

    parts = [f"tier {t['tier']} {_label(t['percent_met'])} met against {t['threshold']}% needed" for t in tiers]
    alt = ("Stacked bar chart of agreed ratings in each tier: met, partly met and not met, with a mark at the "
           "award threshold. " + "; ".join(parts) + ". The numbers are in the table after the chart.")
    return Chart("by_tier", "Agreed ratings by tier", alt, 2.2, draw)


def network_chart(network):
    """This service against the network: median and interquartile range per value."""
    rows = network["values"]

    def draw(axes):
        count = len(rows)
        _percent_frame(axes, [row["name"] for row in rows])
        _bars(axes, [(row["q1"], row["q3"] - row["q1"], count - 1 - i) for i, row in enumerate(rows)],
              ["#dddddd"] * count, 0.5)
        axes.vlines([row["median"] for row in rows], [count - 1 - i - 0.3 for i in range(count)],
                    [count - 1 - i + 0.3 for i in range(count)], colors=INK, linewidths=1.5, zorder=3)
        own = [(row["service"], count - 1 - i) for i, row in enumerate(rows) if row["service"] is not None]
        if own:  # the figures themselves are in the table beside the chart
            axes.scatter([x for x, _y in own], [y for _x, y in own], s=22, color=BLUE, zorder=4)
        _legend(axes, [("Middle half of services", "#dddddd"), ("Network median", INK), ("This service", BLUE)])

    above = [r["name"] for r in rows if r["service"] is not None and r["service"] > r["q3"]]
    below = [r["name"] for r in rows if r["service"] is not None and r["service"] < r["q1"]]
    alt = (f"Chart comparing this service's percent met in each value with the network of {network['services']} "
           "services: a dot for this service, a band for the middle half of services and a line at the median.")
    if above:
        alt += " Above the middle half: " + ", ".join(above) + "."
    if below:
        alt += " Below the middle half: " + ", ".join(below) + "."
    alt += " No other service is named. The numbers are in the table after the chart."
    return Chart("network", "This service and the network", alt, 0.55 + 0.34 * len(rows) + 0.3, draw)


def trend_chart(points):
    """Percent met in this service's cycles over time."""
    shown = [p for p in points if p["percent_met"] is not None]

    def draw(axes):
        xs = list(range(len(shown)))
        axes.set_xlim(-0.5, max(len(shown) - 0.5, 0.5))
        axes.set_ylim(-8, 115)
        axes.hlines([0, 50, 100], -0.5, max(len(shown) - 0.5, 0.5), colors="#e6e6e6", linewidths=0.6, zorder=0)
        for y in (0, 50, 100):
            axes.text(-0.55, y, f"{y}%", ha="right", va="center", fontsize=FONT - 0.5)
        axes.plot(xs, [p["percent_met"] for p in shown], color=BLUE, linewidth=1.6, marker="o", markersize=5)
        for x, point in zip(xs, shown, strict=True):
            axes.text(x, point["percent_met"] + 6, _label(point["percent_met"]), ha="center", fontsize=FONT)
            axes.text(x, -12, f"{point['label']}\n(edition {point['edition']})", ha="center", va="top", fontsize=FONT - 0.5)

    story = ", then ".join(f"{_label(p['percent_met'])} in {p['label']}" for p in shown)
    alt = f"Line chart of the percent of criteria met in each of this service's reviews: {story}. The numbers are in the table after the chart."
    return Chart("trend", "Criteria met, review by review", alt, 1.8, draw, left_in=0.8, top_in=0.15, bottom_in=0.45)


def members_chart(values):
    """How members answered, value by value: one stacked bar per value of the shares who said Yes,
    Sometimes and No over its questions that enough members answered. One chart, not one per value:
    each chart costs a band of the figure and a picture in the PDF, and the questions' own counts
    are beside each criterion further on."""
    if not values:
        return None

    def draw(axes):
        _percent_frame(axes, [value["name"] for value in values])
        spans, colours = [], []
        for i, value in enumerate(values):
            left, row = 0, len(values) - 1 - i
            for answer, colour in ANSWERS.items():
                share = value["pooled"][answer] or 0
                spans.append((left, share, row))
                colours.append(colour)
                left += share
            questions = len(value["questions"])
            axes.text(101, row, f"{questions} question{'s' if questions != 1 else ''}", va="center", fontsize=FONT - 1, color=INK)
        _bars(axes, spans, colours, 0.6)
        _legend(axes, [(answer.capitalize(), colour) for answer, colour in ANSWERS.items()])

    most = max(values, key=lambda value: value["pooled"]["yes"] or 0)
    least = min(values, key=lambda value: value["pooled"]["yes"] or 0)
    alt = (f"Stacked bar chart of how members answered, value by value, over the questions enough members answered: "
           f"the shares who said yes, sometimes and no. Most said yes about {most['name']} ({_label(most['pooled']['yes'])}), "
           f"fewest about {least['name']} ({_label(least['pooled']['yes'])}). The numbers are in the table after the chart.")
    chart = Chart("members", "How members answered, value by value", alt, 0.55 + 0.28 * len(values) + 0.3, draw,
                  right_in=0.9)
    chart.members = values
    return chart


def service_charts(data):
    """The service report's charts, in the order they appear."""
    voices = tuple(voice for voice in ("staff", "agreed") if data.get("shown", {}).get(voice, True))
    charts = [by_value_chart(data["by_value"], voices), by_tier_chart(data["computed"]["tiers"])]
    charts.append(members_chart((data.get("members") or {}).get("by_value", [])))
    if data["network"]:
        charts.append(network_chart(data["network"]))
    if sum(1 for p in data["trend"] if p["percent_met"] is not None) >= 1:
        charts.append(trend_chart(data["trend"]))
    return {chart.name: chart for chart in render(charts)}


# --- the network report -----------------------------------------------------------------------


def heatmap_chart(values, services, names):
    """Services (rows) by values (columns), coloured by percent met: a picture of the network."""
    # Vermillion through yellow to blue: no near-white middle that could be mistaken for a gap.
    colours = LinearSegmentedColormap.from_list("met", [VERMILLION, ORANGE, "#F0E442", SKY, BLUE]).with_extremes(
        bad="#bbbbbb"
    )
    many = len(services) > 40
    height = 2.6 if many else 1.0 + 0.16 * max(len(services), 1) + 0.4

    def draw(axes):
        matrix = [[v if v is not None else float("nan") for v in s["values"]] for s in services] or [[float("nan")] * len(values)]
        axes.imshow(matrix, aspect="auto", cmap=colours, vmin=0, vmax=100, interpolation="nearest")
        rows = len(matrix)
        for index, value in enumerate(values):
            axes.text(index, rows - 0.3, value["name"], rotation=35, ha="right", va="top", fontsize=FONT,
                      rotation_mode="anchor")
        if many:
            axes.text(-0.7, (rows - 1) / 2, f"{len(services)} services,\nin the order\nof their codes", ha="right",
                      va="center", fontsize=FONT)
        else:
            for index, service in enumerate(services):
                axes.text(-0.6, index, service["label"], ha="right", va="center", fontsize=FONT)
        key = axes.inset_axes([1.02, 0.0, 0.025, 1.0])
        key.set_axis_off()
        key.imshow([[v] for v in range(100, -1, -5)], aspect="auto", cmap=colours, vmin=0, vmax=100)
        key.text(1.6, 0, "100% met", fontsize=FONT - 1, va="center", transform=key.get_yaxis_transform())
        key.text(1.6, 20, "0%", fontsize=FONT - 1, va="center", transform=key.get_yaxis_transform())

    who = "named services" if names else "services by anonymous code"
    alt = (f"Heat map of {len(services)} {who} against the {len(values)} values, each cell coloured by the percent of "
           "criteria met, from red (none) through yellow to blue (all); grey where there is no rating. Services are in "
           "the order of their " + ("names" if names else "codes") + ", not of their results. A summary by value is in "
           "the table after the chart.")
    chart = Chart("heatmap", "Services by value", alt, height, draw, left_in=1.2, right_in=1.1, bottom_in=0.85,
                  top_in=0.15)
    chart.services = [] if many else services  # the rows the picture labels, listed as text after it
    return chart


def groups_chart(name, title, groups):
    """Spread of services' overall percent met within each group (sector or region)."""

    def draw(axes):
        count = len(groups)
        _percent_frame(axes, [g["name"] for g in groups])
        axes.set_xlim(0, 125)
        ys = [count - 1 - i for i in range(count)]
        _bars(axes, [(g["q1"], g["q3"] - g["q1"], y) for g, y in zip(groups, ys, strict=True)], ["#d9ecf6"] * count, 0.5)
        axes.vlines([g["median"] for g in groups], [y - 0.3 for y in ys], [y + 0.3 for y in ys], colors=BLUE,
                    linewidths=1.8, zorder=3)
        for group, y in zip(groups, ys, strict=True):
            size = f" (n={group['services']})" if group["services"] is not None else ""
            axes.text(101, y, f"{group['median']:.0f}%{size}", va="center", fontsize=FONT - 1)

    summary = "; ".join(f"{g['name']} median {g['median']:.0f}%" for g in groups)
    alt = (f"{title}, groups large enough to show: for each, a band for the middle half and a mark at the "
           f"median. {summary}. The numbers are in the table after the chart.")
    chart = Chart(name, title, alt, 0.5 + 0.34 * max(len(groups), 1) + 0.3, draw, top_in=0.15)
    chart.groups = groups
    return chart


def network_charts(data):
    if not data["services"]:
        return {}  # too few final reviews that year: the report says so rather than drawing an empty map
    charts = [heatmap_chart(data["values"], data["services"], data["names"])]
    for name, title in (("by_sector", "Percent met by sector"), ("by_region", "Percent met by region")):
        shown = [group for group in data[name] if group["enough"]]
        if shown:  # groups too small to show are listed in the table beside the chart, without figures
            chart = groups_chart(name, title, shown)
            chart.groups = data[name]
            charts.append(chart)
    return {chart.name: chart for chart in render(charts)}
