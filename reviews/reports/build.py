"""Building reports: data → charts → HTML → PDF."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.disclosure import WHOLE_REPORT
from reviews.reports.charts import network_charts
from reviews.reports.charts.summary import summary_charts
from reviews.reports.data import data_hash, service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.drawn_charts import drawn_service_charts
from reviews.reports.identity import report_identity
from reviews.reports.network import network_report_data
from reviews.reports.pdf import render_pdf
from reviews.reports.portfolio import portfolio_grid, portfolio_rows
from reviews.reports.queries import commissioned_services
from reviews.reports.summary_fit import summary_fits


@dataclass
class BuiltReport:
    data: dict
    data_hash: str
    html: str
    pdf: bytes
    pages: int


@contextmanager
def collection_paused():
    """Building a PDF creates hundreds of thousands of short-lived objects, and Python's cyclic
    garbage collector would keep stopping to scan them all: pausing it for the build saves about
    a seventh of the time. It resumes (and catches up) as soon as the build is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def service_report_html(data, *, issued=None, built_on=None):
    """The service report's HTML from a reader's copy of its data: `issued` ({"version", "at"})
    makes it that final version; otherwise it is a draft, or a working copy of a decided review."""
    charts = drawn_service_charts(data)
    identity = report_identity(data, issued=issued, built_on=built_on)
    return render_to_string("reports/pdf/service.html", {
        "data": data, "charts": charts, "identity": identity, "issued": issued,
    })


def build_service_report(cycle, *, disclosed=WHOLE_REPORT, issued=None, data=None):
    """The service report as a reader who sees `disclosed` may read it (by default, the whole of
    it). data: the report's full data (by default, read now); issued: the final version it is
    (by default none: a draft, or a working copy once the decision is recorded)."""
    with collection_paused():
        full = data if data is not None else service_report_data(cycle)
        readers_copy = for_reader(full, disclosed)
        html = service_report_html(readers_copy, issued=issued)
        rendered = render_pdf(html)
    return BuiltReport(readers_copy, data_hash(readers_copy), html, rendered.content, rendered.pages)


def build_network_report(edition, year, *, names=False, progress=None):
    progress = progress or (lambda percent, stage: None)
    progress(10, "Gathering the ratings")
    data = network_report_data(edition, year, names=names)
    progress(40, "Drawing the charts")
    with collection_paused():
        charts = network_charts(data)
        html = render_to_string("reports/pdf/network.html",
                                {"data": data, "charts": list(charts.values()), "prepared": timezone.localdate()})
        progress(60, "Laying out the pages")
        rendered = render_pdf(html)
    return BuiltReport(data, data_hash(data), html, rendered.content, rendered.pages)


def _decision_state(decision):
    """What a portfolio row shows of a decision: it changes on appeal, and its award expires."""
    if decision is None:
        return None
    return [decision.pk, decision.outcome, str(decision.valid_until), decision.award_state()]


def _value_state(value):
    return [value["code"], value["rag"], value["agreed"], value["staff"], value["members"], value["network"]]


def _rows_hash(rows):
    """What the summaries of these rows show: a change in any of it builds them again."""
    return data_hash([
        {k: v for k, v in row.items() if k in ("percent_met", "trend", "red_count", "voices", "network_services",
                                                "responses", "overall")}
        | {"service": row["service"].pk, "current": row["current"].pk if row["current"] else None,
           "stage": row["current"].state if row["current"] else None,
           "under_way": _under_way_state(row["under_way"]),
           "decision": _decision_state(row["decision"]),
           "appeal": (row["appeal"].pk, row["appeal"].status) if row.get("appeal") else None,
           "overdue": [a.pk for a in row["overdue_actions"]], "urgent": [f.pk for f in row["urgent_concerns"]],
           "next": [(str(d["label"]), d["date"]) for d in row["next_dates"]],
           "values": [_value_state(value) for value in row["values"]]}
        for row in rows
    ])


def _under_way_state(review):
    if review is None:
        return None
    return [review["cycle"].pk, review["staff_answered"], review["responses"],
            [(str(what), when) for what, when in review["dates"]]]


def _summary_html(template, rows, **context):
    fits = summary_fits(rows)
    charts = summary_charts(rows, {pk: fit.row_in for pk, fit in fits.items()})
    return render_to_string(template, {"rows": rows, "charts": charts, "fits": fits, "today": timezone.localdate(),
                                       **context})


def build_summary(service, reader):
    """The one-page summary of a service, as `reader` (its commissioner) may see it."""
    with collection_paused():
        [row] = portfolio_rows([service], reader)
        html = _summary_html("reports/pdf/summary.html", [row], row=row)
        rendered = render_pdf(html)
    return BuiltReport({"service": service.pk}, _rows_hash([row]), html, rendered.content, rendered.pages)


def build_portfolio_report(owner, *, progress=None):
    """The grid of every service the owner commissions, then a one-page summary of each service
    with a review (a service with none is a row of the grid, not an empty page)."""
    progress = progress or (lambda percent, stage: None)
    progress(10, "Gathering the services")
    rows = portfolio_rows(commissioned_services(owner), owner)
    progress(40, "Laying out the pages")
    with collection_paused():
        html = _summary_html("reports/pdf/portfolio.html", rows, owner=owner, grid=portfolio_grid(rows))
        rendered = render_pdf(html)
    return BuiltReport({"owner": owner.pk}, _rows_hash(rows), html, rendered.content, rendered.pages)
