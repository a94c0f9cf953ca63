"""Building reports: data → charts → HTML → PDF."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from reviews.reports.charts import network_charts, service_charts
from reviews.reports.data import data_hash, network_report_data, service_report_data
from reviews.reports.pdf import render_pdf


@dataclass
class BuiltReport:
    data: dict
    data_hash: str
    html: str
    pdf: bytes
    pages: int


def service_report_html(data, *, draft, issued=None):
    charts = service_charts(data)
    return render_to_string(
        "reports/service.html", {"data": data, "charts": list(charts.values()), "draft": draft, "issued": issued}
    )


def build_service_report(cycle, *, draft=True, issued=None, data=None):
    data = data if data is not None else service_report_data(cycle)
    html = service_report_html(data, draft=draft, issued=issued)
    rendered = render_pdf(html)
    return BuiltReport(data, data_hash(data), html, rendered.content, rendered.pages)


def build_network_report(edition, year, *, names=False, progress=None):
    progress = progress or (lambda percent, stage: None)
    progress(10, "Gathering the ratings")
    data = network_report_data(edition, year, names=names)
    progress(40, "Drawing the charts")
    charts = network_charts(data)
    html = render_to_string("reports/network.html", {"data": data, "charts": list(charts.values())})
    progress(60, "Laying out the pages")
    rendered = render_pdf(html)
    return BuiltReport(data, data_hash(data), html, rendered.content, rendered.pages)
