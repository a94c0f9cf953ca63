"""Report pages, all under the `reports:` namespace: a cycle's service report, its PDFs and
exports; the commissioner's portfolio; network reports; reports built in the background."""

from django.urls import path

import reviews.converters  # noqa: F401 - registers the "format" converter
from reviews.reports import views

app_name = "reports"
urlpatterns = [
    path("cycles/<int:pk>/report/", views.service_report, name="report"),
    path("cycles/<int:pk>/report/draft.pdf", views.service_report_pdf, name="report-pdf"),
    path("cycles/<int:pk>/report/v<int:version>.pdf", views.final_report_pdf, name="report-final"),
    path("cycles/<int:pk>/report/issue/", views.issue_report, name="report-issue"),
    path("cycles/<int:pk>/visit-pack.pdf", views.visit_pack, name="visit-pack"),
    path("cycles/<int:pk>/export.<format:fmt>", views.cycle_export, name="cycle-export"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<slug:slug>/summary.pdf", views.service_summary_pdf, name="service-summary"),
    path("reports/network/", views.network_reports, name="network-reports"),
    path("reports/editions/<int:edition_pk>/cycles.<format:fmt>", views.edition_export, name="edition-export"),
    path("reports/<int:pk>/", views.report_status, name="report-status"),
    path("reports/<int:pk>/download.pdf", views.report_download, name="report-download"),
]
