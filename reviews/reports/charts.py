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
from matplotlib.figure import Figure  # noqa: E402
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
SERIES = {"staff": ORANGE, "members": SKY, "agreed": BLUE}
OUTCOMES = {"met": GREEN, "partly": ORANGE, "not_met": VERMILLION}

WIDTH_IN = 7.0
DPI = 150
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
        margin_bottom, margin_top, right = chart.bottom_in, chart.top_in, 0.35
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
    # Charts hold few colours: a 64-colour palette keeps them crisp at a third of the size,
    # which WeasyPrint then reads and embeds faster too.
    buffer = io.BytesIO()
    image.quantize(64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _style(axes):
    axes.tick_params(labelsize=FONT, length=0, colors=INK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GREY)
    axes.set_axisbelow(True)


def _percent_axis(axes):
    axes.set_xlim(0, 112)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.xaxis.grid(True, color="#eeeeee", linewidth=0.6)


def _label(value):
    return "–" if value is None else f"{value:.0f}%"


# --- the charts -------------------------------------------------------------------------------


def by_value_chart(rows, voices=("staff", "members", "agreed")):
    """Percent of criteria met in each value, in each voice, side by side (never combined)."""
    names = {"staff": "Staff (self)", "members": "Members", "agreed": "Agreed"}

    def draw(axes):
        count = len(rows)
        bar = 0.8 / len(voices)
        for index, voice in enumerate(voices):
            positions = [count - 1 - i + (len(voices) - 1 - index - (len(voices) - 1) / 2) * bar for i in range(count)]
            values = [row[voice] or 0 for row in rows]
            axes.barh(positions, values, height=bar * 0.92, color=SERIES[voice], label=names[voice])
            for y, row in zip(positions, rows, strict=True):
                axes.text((row[voice] or 0) + 1.2, y, _label(row[voice]), va="center", fontsize=FONT - 1.5, color=INK)
        axes.set_yticks(range(count - 1, -1, -1), [row["name"] for row in rows])
        _percent_axis(axes)
        axes.legend(fontsize=FONT, frameon=False, loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=len(voices))

    best = max(rows, key=lambda r: r["agreed"] or -1) if rows else None
    worst = min(rows, key=lambda r: r["agreed"] if r["agreed"] is not None else 101) if rows else None
    alt = (
        "Horizontal bar chart of the percent of criteria met in each value, in three voices side by side: "
        "staff's own rating, members' rating and the agreed rating."
    )
    if best and best["agreed"] is not None:
        alt += f" Highest agreed: {best['name']} at {best['agreed']:.0f}%. Lowest agreed: {worst['name']} at {worst['agreed']:.0f}%."
    alt += " The numbers are in the table after the chart."
    return Chart("by_value", "Criteria met by value: staff, members and agreed", alt, 0.55 + 0.42 * len(rows) + 0.3, draw)


def by_tier_chart(tiers):
    """Agreed ratings by tier: met, partly met and not met, with the award threshold marked."""
    labels = {1: "Tier 1: essential", 2: "Tier 2: expected", 3: "Tier 3: desirable"}

    def draw(axes):
        for i, tier in enumerate(tiers):
            y = len(tiers) - 1 - i
            applicable = tier["applicable"] or 1
            left = 0
            for outcome in ("met", "partly", "not_met"):
                width = 100 * tier[outcome] / applicable
                axes.barh(y, width, left=left, height=0.6, color=OUTCOMES[outcome],
                          label={"met": "Met", "partly": "Partly met", "not_met": "Not met"}[outcome] if i == 0 else None)
                if width >= 8:
                    axes.text(left + width / 2, y, f"{tier[outcome]}", va="center", ha="center", fontsize=FONT, color="white")
                left += width
            axes.plot([tier["threshold"]] * 2, [y - 0.38, y + 0.38], color=INK, linewidth=1.4)
            axes.text(tier["threshold"], y + 0.42, f"needs {tier['threshold']}%", fontsize=FONT - 1.5, ha="center", va="bottom")
        axes.set_yticks(range(len(tiers) - 1, -1, -1), [labels[t["tier"]] for t in tiers])
        _percent_axis(axes)
        axes.legend(fontsize=FONT, frameon=False, loc="lower center", bbox_to_anchor=(0.45, 1.12), ncol=3)

    parts = [f"tier {t['tier']} {_label(t['percent_met'])} met against {t['threshold']}% needed" for t in tiers]
    alt = ("Stacked bar chart of agreed ratings in each tier: met, partly met and not met, with a mark at the "
           "award threshold. " + "; ".join(parts) + ". The numbers are in the table after the chart.")
    return Chart("by_tier", "Agreed ratings by tier", alt, 2.2, draw)


def network_chart(network):
    """This service against the network: median and interquartile range per value."""
    rows = network["values"]

    def draw(axes):
        count = len(rows)
        for i, row in enumerate(rows):
            y = count - 1 - i
            axes.barh(y, row["q3"] - row["q1"], left=row["q1"], height=0.5, color="#dddddd",
                      label="Middle half of services" if i == 0 else None)
            axes.plot([row["median"]] * 2, [y - 0.3, y + 0.3], color=INK, linewidth=1.5,
                      label="Network median" if i == 0 else None)
            if row["service"] is not None:
                axes.plot(row["service"], y, "o", color=BLUE, markersize=5.5, label="This service" if i == 0 else None)
                axes.text(row["service"] + 2.5, y, _label(row["service"]), va="center", fontsize=FONT - 1.5)
        axes.set_yticks(range(count - 1, -1, -1), [row["name"] for row in rows])
        _percent_axis(axes)
        axes.legend(fontsize=FONT, frameon=False, loc="lower center", bbox_to_anchor=(0.45, 1.0), ncol=3)

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
        axes.plot(xs, [p["percent_met"] for p in shown], color=BLUE, linewidth=1.6, marker="o", markersize=5)
        for x, point in zip(xs, shown, strict=True):
            axes.text(x, point["percent_met"] + 5, _label(point["percent_met"]), ha="center", fontsize=FONT)
        axes.set_xticks(xs, [f"{p['label']}\n(edition {p['edition']})" for p in shown])
        axes.set_ylim(0, 112)
        axes.set_yticks([0, 50, 100], ["0%", "50%", "100%"])
        axes.yaxis.grid(True, color="#eeeeee", linewidth=0.6)
        axes.set_xlim(-0.5, max(len(shown) - 0.5, 0.5))

    story = ", then ".join(f"{_label(p['percent_met'])} in {p['label']}" for p in shown)
    alt = f"Line chart of the percent of criteria met in each of this service's reviews: {story}. The numbers are in the table after the chart."
    return Chart("trend", "Criteria met, review by review", alt, 1.8, draw, left_in=0.8, top_in=0.15)


def service_charts(data):
    """The service report's charts, in the order they appear."""
    charts = [by_value_chart(data["by_value"]), by_tier_chart(data["computed"]["tiers"])]
    if data["network"]:
        charts.append(network_chart(data["network"]))
    if sum(1 for p in data["trend"] if p["percent_met"] is not None) >= 1:
        charts.append(trend_chart(data["trend"]))
    return {chart.name: chart for chart in render(charts)}


# --- the network report -----------------------------------------------------------------------


def heatmap_chart(values, services, names):
    """Services (rows) by values (columns), coloured by percent met: a picture of the network."""
    from matplotlib.colors import LinearSegmentedColormap  # noqa: PLC0415

    colours = LinearSegmentedColormap.from_list("met", [VERMILLION, ORANGE, "#f7f7f7", SKY, BLUE])
    many = len(services) > 40
    height = 2.6 if many else 1.0 + 0.16 * max(len(services), 1) + 0.4

    def draw(axes):
        matrix = [[v if v is not None else float("nan") for v in s["values"]] for s in services] or [[float("nan")] * len(values)]
        image = axes.imshow(matrix, aspect="auto", cmap=colours, vmin=0, vmax=100, interpolation="nearest")
        axes.set_xticks(range(len(values)), [v["name"] for v in values], rotation=35, ha="right")
        if many:
            axes.set_yticks([])
            axes.set_ylabel(f"{len(services)} services, best overall at the top", fontsize=FONT)
        else:
            axes.set_yticks(range(len(services)), [s["label"] for s in services])
        colourbar = axes.figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02)
        colourbar.ax.tick_params(labelsize=FONT - 1)
        colourbar.set_label("% met", fontsize=FONT - 1)

    who = "named services" if names else "services by anonymous code"
    alt = (f"Heat map of {len(services)} {who} against the ten values, each cell coloured by the percent of "
           "criteria met, from red (none) through white to blue (all). Services are sorted with the highest overall "
           "percent met at the top. A summary by value is in the table after the chart.")
    return Chart("heatmap", "Services by value", alt, height, draw, left_in=1.2 if not many else 0.6, bottom_in=0.85,
                 top_in=0.15)


def groups_chart(name, title, groups):
    """Spread of services' overall percent met within each group (sector or region)."""

    def draw(axes):
        count = len(groups)
        for i, group in enumerate(groups):
            y = count - 1 - i
            axes.plot([group["low"], group["high"]], [y, y], color=GREY, linewidth=1)
            axes.barh(y, group["q3"] - group["q1"], left=group["q1"], height=0.5, color="#d9ecf6")
            axes.plot([group["median"]] * 2, [y - 0.3, y + 0.3], color=BLUE, linewidth=1.8)
            axes.text(101, y, f"{group['median']:.0f}% (n={group['services']})", va="center", fontsize=FONT - 1)
        axes.set_yticks(range(count - 1, -1, -1), [g["name"] for g in groups])
        _percent_axis(axes)
        axes.set_xlim(0, 125)

    summary = "; ".join(f"{g['name']} median {g['median']:.0f}% across {g['services']}" for g in groups)
    alt = (f"{title}: for each group, a line from the lowest to the highest service, a band for the middle half and "
           f"a mark at the median. {summary}. The numbers are in the table after the chart.")
    chart = Chart(name, title, alt, 0.5 + 0.34 * max(len(groups), 1) + 0.3, draw, top_in=0.15)
    chart.groups = groups
    return chart


def network_charts(data):
    charts = [heatmap_chart(data["values"], data["services"], data["names"])]
    if data["by_sector"]:
        charts.append(groups_chart("by_sector", "Percent met by sector", data["by_sector"]))
    if data["by_region"]:
        charts.append(groups_chart("by_region", "Percent met by region", data["by_region"]))
    return {chart.name: chart for chart in render(charts)}
