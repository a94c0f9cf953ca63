"""The network report's charts."""

from matplotlib.colors import LinearSegmentedColormap

from reviews.reports.charts.drawing import (
    BLUE,
    FONT,
    GREY,
    INK,
    ORANGE,
    SKY,
    VERMILLION,
    Chart,
    bars,
    legend,
    percent_frame,
    render,
)


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
        percent_frame(axes, [g["name"] for g in groups])
        axes.set_xlim(0, 125)
        ys = [count - 1 - i for i in range(count)]
        bars(axes, [(g["q1"], g["q3"] - g["q1"], y) for g, y in zip(groups, ys, strict=True)], ["#d9ecf6"] * count, 0.5)
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


def themes_chart(rows, services, minimum):
    """Per value, how many services' reviews found a strength (blue) and an area for development
    (orange), as bars on one scale; a count made of too few services is left out and says so."""
    kinds = (("strength", "Strength", BLUE), ("development", "Area for development", ORANGE))
    largest = max([row[kind] or 0 for row in rows for kind, _label, _colour in kinds] + [1])

    def draw(axes):
        count = len(rows)
        axes.set_xlim(-2.5, 112)
        axes.set_ylim(-0.6, count - 0.2)
        for index, row in enumerate(rows):
            axes.text(-1.5, count - 1 - index, row["name"], ha="right", va="center", fontsize=FONT, color=INK)
        for index, row in enumerate(rows):
            if all(row[kind] is None for kind, _label, _colour in kinds):  # one note for the row, not two on top of each other
                axes.text(1, count - 1 - index, f"not shown: fewer than {minimum} services each", va="center",
                          fontsize=FONT - 1, color=INK)
        for offset, (kind, _label, colour) in zip((0.18, -0.18), kinds, strict=True):
            spans = []
            for index, row in enumerate(rows):
                y = count - 1 - index + offset
                if row[kind] is None:
                    if any(row[other] is not None for other, _label, _colour in kinds):
                        axes.text(1, y, "not shown", va="center", fontsize=FONT - 1.5, color=INK)
                    continue
                length = 100 * row[kind] / largest
                spans.append((0, length, y))
                axes.text(length + 1, y, str(row[kind]), va="center", fontsize=FONT - 1.5, color=INK)
            bars(axes, spans, [colour] * len(spans), 0.34)
        axes.vlines([0], -0.6, count - 0.4, colors=GREY, linewidths=0.8)
        legend(axes, [(label, colour) for _kind, label, colour in kinds])

    described = "; ".join(
        f"{row['name']}: " + ", ".join(
            f"{label.lower()} {row[kind] if row[kind] is not None else 'not shown'}" for kind, label, _c in kinds
        ) for row in rows
    )
    alt = (f"Bars for each value: how many of the {services} services' reviews found a strength and how many an "
           f"area for development. {described}. The numbers are in the table after the chart.")
    return Chart("themes", f"Services with findings, by value (of {services} services)", alt,
                 0.55 + 0.3 * max(len(rows), 1), draw, top_in=0.3, bottom_in=0.1)


def network_charts(data):
    if not data["services"]:
        return {}  # too few final reviews that year: the report says so rather than drawing an empty map
    charts = [heatmap_chart(data["values"], data["services"], data["names"])]
    themes = data.get("themes")
    if themes and any(row[kind] for row in themes["rows"] for kind in themes["kinds"]):
        charts.append(themes_chart(themes["rows"], data["service_count"], data["minimum"]))
    for name, title in (("by_sector", "Percent met by sector"), ("by_region", "Percent met by region")):
        shown = [group for group in data[name] if group["enough"]]
        if shown:  # groups too small to show are listed in the table beside the chart, without figures
            chart = groups_chart(name, title, shown)
            chart.groups = data[name]
            charts.append(chart)
    return {chart.name: chart for chart in render(charts)}
