"""Reports that are not about one cycle: the portfolio, network reports, edition exports."""

from django.urls import path

import reviews.urls  # noqa: F401 - registers the "format" converter
from reviews import report_views

app_name = "reports"
urlpatterns = [
    path("portfolio/", report_views.portfolio, name="portfolio"),
    path("portfolio/<slug:slug>/summary.pdf", report_views.service_summary_pdf, name="service-summary"),
    path("reports/network/", report_views.network_reports, name="network-reports"),
    path("reports/editions/<int:edition_pk>/cycles.<format:fmt>", report_views.edition_export, name="edition-export"),
    path("reports/<int:pk>/", report_views.report_status, name="report-status"),
    path("reports/<int:pk>/download.pdf", report_views.report_download, name="report-download"),
]
