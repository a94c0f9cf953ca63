"""Building reports: data → charts → HTML → PDF."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.disclosure import WHOLE_REPORT
from reviews.reports.charts import network_charts, service_charts
from reviews.reports.data import data_hash, service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.network import network_report_data
from reviews.reports.pdf import render_pdf
from reviews.reports.portfolio import portfolio_rows
from reviews.reports.queries import commissioned_services


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


def service_report_html(data, *, draft, issued=None):
    charts = service_charts(data)
    return render_to_string(
        "reports/pdf/service.html", {"data": data, "charts": list(charts.values()), "draft": draft, "issued": issued}
    )


def build_service_report(cycle, *, disclosed=WHOLE_REPORT, draft=None, issued=None, data=None):
    """The service report as a reader who sees `disclosed` may read it (by default, the whole of
    it). data: the report's full data (by default, read now); draft: marked DRAFT on every page
    (by default, until the cycle's decision is recorded)."""
    with collection_paused():
        full = data if data is not None else service_report_data(cycle)
        readers_copy = for_reader(full, disclosed)
        draft = not full["cycle"]["final"] if draft is None else draft
        html = service_report_html(readers_copy, draft=draft, issued=issued)
        rendered = render_pdf(html)
    return BuiltReport(readers_copy, data_hash(readers_copy), html, rendered.content, rendered.pages)


def build_network_report(edition, year, *, names=False, progress=None):
    progress = progress or (lambda percent, stage: None)
    progress(10, "Gathering the ratings")
    data = network_report_data(edition, year, names=names)
    progress(40, "Drawing the charts")
    with collection_paused():
        charts = network_charts(data)
        html = render_to_string("reports/pdf/network.html", {"data": data, "charts": list(charts.values())})
        progress(60, "Laying out the pages")
        rendered = render_pdf(html)
    return BuiltReport(data, data_hash(data), html, rendered.content, rendered.pages)


def _decision_state(decision):
    """What a portfolio row shows of a decision: it changes on appeal, and its award expires."""
    if decision is None:
        return None
    return [decision.pk, decision.outcome, str(decision.valid_until), decision.award_state()]


def _rows_hash(rows):
    return data_hash([
        {k: v for k, v in row.items() if k in ("percent_met", "trend", "red_count")}
        | {"service": row["service"].pk, "current": row["current"].pk if row["current"] else None,
           "decision": _decision_state(row["decision"]),
           "appeal": (row["appeal"].pk, row["appeal"].status) if row.get("appeal") else None,
           "overdue": [a.pk for a in row["overdue_actions"]], "urgent": [f.pk for f in row["urgent_concerns"]],
           "values": row["values"]}
        for row in rows
    ])


def build_summary(service, reader):
    """The one-page summary of a service, as `reader` (its commissioner) may see it."""
    [row] = portfolio_rows([service], reader)
    html = render_to_string("reports/pdf/summary.html", {"row": row})
    rendered = render_pdf(html)
    return BuiltReport({"service": service.pk}, _rows_hash([row]), html, rendered.content, rendered.pages)


def build_portfolio_report(owner, *, progress=None):
    progress = progress or (lambda percent, stage: None)
    progress(10, "Gathering the services")
    rows = portfolio_rows(commissioned_services(owner), owner)
    progress(40, "Laying out the pages")
    html = render_to_string("reports/pdf/portfolio.html", {"rows": rows, "owner": owner, "today": timezone.localdate()})
    rendered = render_pdf(html)
    return BuiltReport({"owner": owner.pk}, _rows_hash(rows), html, rendered.content, rendered.pages)
