"""The service report's charts."""


from reviews.reports.charts.drawing import (
    ANSWERS,
    BLUE,
    FONT,
    INK,
    OUTCOMES,
    SERIES,
    Chart,
    bars,
    legend,
    percent_frame,
    percent_label,
    render,
)
from reviews.reports.figures import trend_note


def by_value_chart(rows, voices=("staff", "agreed"), unrated=0):
    """Percent of criteria met in each value, in each voice, side by side (never combined).
    unrated: how many criteria have no agreed rating yet (said in the title and the alt text)."""
    names = {"staff": "Staff (self)", "agreed": "Agreed"}

    def draw(axes):
        count = len(rows)
        bar = 0.8 / len(voices)
        percent_frame(axes, [row["name"] for row in rows])
        spans, colours = [], []
        for index, voice in enumerate(voices):
            offset = ((len(voices) - 1) / 2 - index) * bar
            for i, row in enumerate(rows):
                spans.append((0, row[voice] or 0, count - 1 - i + offset))
                colours.append(SERIES[voice])
                if voice == "agreed":  # every figure is in the table beside the chart; the agreed one is labelled here
                    axes.text((row[voice] or 0) + 1.2, count - 1 - i + offset, percent_label(row[voice]), va="center",
                              fontsize=FONT - 1, color=INK)
        bars(axes, spans, colours, bar * 0.92)
        legend(axes, [(names[voice], SERIES[voice]) for voice in voices])

    best = max(rows, key=lambda r: r["agreed"] or -1) if rows else None
    worst = min(rows, key=lambda r: r["agreed"] if r["agreed"] is not None else 101) if rows else None
    spoken = {"staff": "staff's own rating", "agreed": "the agreed rating"}
    alt = (
        "Horizontal bar chart of the percent of criteria met in each value, in each voice side by side: "
        + ", ".join(spoken[voice] for voice in voices) + "."
    )
    if best and best["agreed"] is not None:
        alt += f" Highest agreed: {best['name']} at {best['agreed']:.0f}%. Lowest agreed: {worst['name']} at {worst['agreed']:.0f}%."
    named = list(voices)
    title = "Criteria met by value: " + (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0])
    if "agreed" not in voices:
        title += " (agreed ratings: not yet rated)"
        alt += " No rating is agreed yet."
    elif unrated:
        title += f" ({_not_yet_rated(unrated)})"
        alt += f" {_not_yet_rated(unrated).capitalize()}: a value without an agreed rating shows no agreed bar."
    alt += " The numbers are in the table after the chart."
    return Chart("by_value", title, alt, 0.55 + 0.42 * len(rows) + 0.3, draw)


def _not_yet_rated(count):
    return f"{count} criterion not yet rated" if count == 1 else f"{count} criteria not yet rated"


def by_tier_chart(tiers, unrated=0):
    """Agreed ratings by tier: met, partly met and not met, with the award threshold marked.
    unrated: how many criteria have no agreed rating yet (said in the title and the alt text)."""
    labels = {1: "Tier 1: essential", 2: "Tier 2: expected", 3: "Tier 3: desirable"}
    names = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}

    def draw(axes):
        percent_frame(axes, [labels[t["tier"]] for t in tiers])
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
                words = "not yet rated" if tier["unrated"] else "no criteria apply"
                axes.text(1, y, words, va="center", fontsize=FONT - 0.5, color=INK)
                continue
            axes.vlines(tier["threshold"], y - 0.38, y + 0.38, colors=INK, linewidths=1.4, zorder=3)
            axes.text(tier["threshold"], y + 0.42, f"needs {tier['threshold']}%", fontsize=FONT - 1.5, ha="center", va="bottom")
        bars(axes, spans, colours, 0.6)
        legend(axes, [(names[outcome], OUTCOMES[outcome]) for outcome in ("met", "partly", "not_met")], y=1.08)

    parts = [f"tier {t['tier']} {percent_label(t['percent_met'])} met against {t['threshold']}% needed" for t in tiers]
    alt = ("Stacked bar chart of agreed ratings in each tier: met, partly met and not met, with a mark at the "
           "award threshold. " + "; ".join(parts) + ".")
    title = "Agreed ratings by tier"
    if unrated:
        title += f" ({_not_yet_rated(unrated)})"
        alt += f" {_not_yet_rated(unrated).capitalize()}."
    return Chart("by_tier", title, alt + " The numbers are in the table after the chart.", 2.2, draw)


def network_chart(network):
    """This service against the network: median and interquartile range per value."""
    rows = network["values"]

    def draw(axes):
        count = len(rows)
        percent_frame(axes, [row["name"] for row in rows])
        bars(axes, [(row["q1"], row["q3"] - row["q1"], count - 1 - i) for i, row in enumerate(rows)],
              ["#dddddd"] * count, 0.5)
        axes.vlines([row["median"] for row in rows], [count - 1 - i - 0.3 for i in range(count)],
                    [count - 1 - i + 0.3 for i in range(count)], colors=INK, linewidths=1.5, zorder=3)
        own = [(row["service"], count - 1 - i) for i, row in enumerate(rows) if row["service"] is not None]
        if own:  # the figures themselves are in the table beside the chart
            axes.scatter([x for x, _y in own], [y for _x, y in own], s=22, color=BLUE, zorder=4)
        legend(axes, [("Middle half of services", "#dddddd"), ("Network median", INK), ("This service", BLUE)])

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
    """Percent met in this service's reviews over time, compared like with like (see figures.trend):
    what they were compared on is said in the title, the alt text and the chart's note."""
    shown = [p for p in points if p["percent_met"] is not None]
    note = trend_note(points)

    def draw(axes):
        xs = list(range(len(shown)))
        axes.set_xlim(-0.5, max(len(shown) - 0.5, 0.5))
        axes.set_ylim(-8, 115)
        axes.hlines([0, 50, 100], -0.5, max(len(shown) - 0.5, 0.5), colors="#e6e6e6", linewidths=0.6, zorder=0)
        for y in (0, 50, 100):
            axes.text(-0.55, y, f"{y}%", ha="right", va="center", fontsize=FONT - 0.5)
        axes.plot(xs, [p["percent_met"] for p in shown], color=BLUE, linewidth=1.6, marker="o", markersize=5)
        for x, point in zip(xs, shown, strict=True):
            axes.text(x, point["percent_met"] + 6, percent_label(point["percent_met"]), ha="center", fontsize=FONT)
            axes.text(x, -12, _point_words(point, "\n"), ha="center", va="top", fontsize=FONT - 0.5,
                      fontweight="bold" if point.get("current") else "normal")

    title = "Criteria met, review by review"
    if note:  # its reviews are of several editions
        editions = len({point["edition"] for point in points})
        title += f", on the {points[-1]['compared']} criteria " + (
            "both editions share" if editions == 2 else f"all {editions} editions share")
    story = ", then ".join(f"{percent_label(p['percent_met'])} ({_point_words(p, ', ', spoken=True)})" for p in shown)
    alt = f"Line chart of the percent of criteria met in each of this service's reviews: {story}."
    if note:
        alt += " " + note
    alt += " The numbers are in the table after the chart."
    chart = Chart("trend", title, alt, 1.8, draw, left_in=0.8, top_in=0.15, bottom_in=0.45)
    chart.note = note
    return chart


def _point_words(point, between, spoken=False):
    """A review on the trend: when it was decided, its edition, and whether it is this review."""
    label = point["label"]
    if spoken and "opened" in point:  # "Decided 2 December 2026" within a sentence (a trend kept before says "Dec 2026")
        label = label[:1].lower() + label[1:]
    words = [label, f"edition {point['edition']}"]
    if point.get("current"):
        words.append("this review")
    return between.join(words)


def members_chart(values):
    """How members answered, value by value: one stacked bar per value of the shares who said Yes,
    Sometimes and No over its questions that enough members answered. One chart, not one per value:
    each chart costs a band of the figure and a picture in the PDF, and the questions' own counts
    are beside each criterion further on."""
    if not values:
        return None

    def draw(axes):
        percent_frame(axes, [value["name"] for value in values])
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
        bars(axes, spans, colours, 0.6)
        legend(axes, [(answer.capitalize(), colour) for answer, colour in ANSWERS.items()])

    most = max(values, key=lambda value: value["pooled"]["yes"] or 0)
    least = min(values, key=lambda value: value["pooled"]["yes"] or 0)
    alt = (f"Stacked bar chart of how members answered, value by value, over the questions enough members answered: "
           f"the shares who said yes, sometimes and no. Most said yes about {most['name']} ({percent_label(most['pooled']['yes'])}), "
           f"fewest about {least['name']} ({percent_label(least['pooled']['yes'])}). The numbers are in the table after the chart.")
    chart = Chart("members", "How members answered, value by value", alt, 0.55 + 0.28 * len(values) + 0.3, draw,
                  right_in=0.9)
    chart.members = values
    return chart


def chart_inputs(data):
    """Everything in a reader's copy of the report that its charts are drawn from, and nothing else:
    drawn charts are cached under these figures (reviews.reports.drawn_charts)."""
    members = data.get("members") or {}
    return {
        "by_value": data["by_value"],
        "computed": {"overall": data["computed"]["overall"], "tiers": data["computed"]["tiers"]},
        "shown": {voice: shown for voice, shown in data.get("shown", {}).items() if voice in ("staff", "agreed")},
        "members": {"by_value": members.get("by_value", [])},
        "network": data["network"],
        "trend": data["trend"],
    }


def service_charts(data):
    """The service report's charts, in the order they appear."""
    data = chart_inputs(data)  # so that they never read more than they are cached under
    overall = data["computed"]["overall"]
    agreed_any = overall["met"] + overall["partly"] + overall["not_met"] + overall["not_applicable"] > 0
    voices = tuple(voice for voice in ("staff", "agreed") if data.get("shown", {}).get(voice, True)
                   and any(row[voice] is not None for row in data["by_value"]))
    charts = []
    if voices:
        charts.append(by_value_chart(data["by_value"], voices, overall["unrated"]))
    if agreed_any:  # before any rating is agreed the tiers have nothing to show (the report says so)
        charts.append(by_tier_chart(data["computed"]["tiers"], overall["unrated"]))
    charts.append(members_chart((data.get("members") or {}).get("by_value", [])))
    if data["network"]:
        charts.append(network_chart(data["network"]))
    if sum(1 for p in data["trend"] if p["percent_met"] is not None) >= 1:
        charts.append(trend_chart(data["trend"]))
    return {chart.name: chart for chart in render(charts)}

