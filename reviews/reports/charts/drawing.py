"""Drawing report charts: matplotlib's Figure API (never pyplot), Agg, a colour-blind-safe palette,
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


def percent_label(value):
    return "–" if value is None else f"{value:.0f}%"


def percent_frame(axes, row_labels, top=None):
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


def bars(axes, spans, colours, height):
    """Horizontal bars as one collection: (left, width, y) each."""
    vertices = [[(left, y - height / 2), (left + width, y - height / 2), (left + width, y + height / 2),
                 (left, y + height / 2)] for left, width, y in spans]
    axes.add_collection(PolyCollection(vertices, facecolors=colours, linewidths=0, zorder=2))


def legend(axes, items, y=1.02):
    """A row of colour keys above the plot: [(label, colour or marker spec)]."""
    x = 0.0
    for label, colour in items:
        # add_artist, not add_patch: a key in axes coordinates must not take part in autoscaling.
        axes.add_artist(Rectangle((x, y), 0.022, 0.035, transform=axes.transAxes, facecolor=colour, clip_on=False))
        axes.text(x + 0.03, y + 0.017, label, transform=axes.transAxes, va="center", fontsize=FONT, color=INK)
        x += 0.06 + 0.0165 * len(label)
