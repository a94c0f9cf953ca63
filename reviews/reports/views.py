"""Report pages: the service report, exports, the commissioner's portfolio and network reports."""

import json

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assurance.access import require
from assurance.panels import Panel
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.reports import exports, queries
from reviews.reports.build import build_summary
from reviews.reports.forms import NetworkReportForm
from reviews.reports.identity import report_identity
from reviews.reports.models import JobStatus, ReportKind
from reviews.reports.portfolio import portfolio_rows
from reviews.reports.report_page import report_page_parts
from reviews.reports.services import (
    build_again,
    draft_service_report,
    final_copy_for,
    is_stuck,
    issue_final_report,
    latest_final,
    mark_seen,
    request_network_report,
    request_portfolio_report,
)
from reviews.reports.visit_pack import build_visit_pack
from standards.models import Edition


def _pdf_response(filename, *, report=None, content=None):
    """A PDF download: a stored report's file, or freshly built bytes."""
    if report is not None:
        response = FileResponse(report.file.open("rb"), content_type="application/pdf")
    else:
        response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(*parts):
    return "-".join(slugify(str(part)) for part in parts if part) + ".pdf"


# --- the service report -----------------------------------------------------------------------


def cycle_section(request, cycle, forms):
    """The report's place on the cycle page, once the person may read it."""
    if not rules.test_rule("view_report", request.user, cycle):
        return None
    return Panel("reports/_cycle_section.html")


@login_required
def service_report(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_report", request.user, cycle)
    data, charts = report_page_parts(cycle, disclosure(request.user, cycle))
    context = {
        "cycle": cycle,
        "data": data,
        "identity": report_identity(data),
        "charts": charts,
        "finals": queries.final_reports(cycle),
        "may_issue": rules.test_rule("issue_report", request.user, cycle),
        "may_export": rules.test_rule("export_cycle", request.user, cycle),
    }
    return render(request, "reports/report.html", context)


@login_required
def service_report_pdf(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_report", request.user, cycle)
    final = latest_final(cycle)
    if final is not None:  # a decided review's report is its latest final version, as the reader may read it
        return redirect("reports:report-final", cycle.pk, final.version)
    report = draft_service_report(cycle, reader=request.user)
    name = "draft" if not cycle.is_concluded else "working-copy"
    return _pdf_response(_filename(cycle.service.name, "report", name), report=report)


@login_required
def final_report_pdf(request, pk, version):
    cycle = cycle_or_404(request.user, pk)
    require("view_report", request.user, cycle)
    final = get_object_or_404(queries.final_reports(cycle).select_related("cycle"), version=version)
    final.cycle = cycle  # with its team, for the disclosure policy
    report = final_copy_for(final, request.user)
    return _pdf_response(_filename(cycle.service.name, "report", f"v{version}"), report=report)


@login_required
@require_POST
def issue_report(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("issue_report", request.user, cycle)
    try:
        report = issue_final_report(cycle, issued_by=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Final report version %(version)d is issued and stored.") % {"version": report.version})
    return redirect("reports:report", cycle.pk)


# --- exports ----------------------------------------------------------------------------------


@login_required
def cycle_export(request, pk, fmt):
    cycle = cycle_or_404(request.user, pk)
    require("export_cycle", request.user, cycle)
    sections = exports.sections_for(disclosure(request.user, cycle))
    name = f"{slugify(cycle.service.name)}-{cycle.edition.version}-cycle-{cycle.pk}"
    if fmt == "json":
        response = HttpResponse(json.dumps(exports.export_json_for_cycle(cycle, sections), indent=2, ensure_ascii=False),
                                content_type="application/json; charset=utf-8")
    else:
        response = StreamingHttpResponse(exports.csv_lines(cycle.edition, [cycle], sections),
                                         content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def edition_export(request, edition_pk, fmt):
    require("export_edition", request.user)
    edition = get_object_or_404(Edition.objects.select_related("framework"), pk=edition_pk)
    name = f"{edition.framework.slug}-{edition.version}-all-cycles"
    if fmt == "json":
        response = StreamingHttpResponse(exports.edition_json_parts(edition),
                                         content_type="application/json; charset=utf-8")
    else:
        response = StreamingHttpResponse(exports.csv_lines(edition, exports.edition_cycles(edition), exports.SECTIONS),
                                         content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- the commissioner's portfolio -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def portfolio(request):
    require("view_portfolio", request.user)
    if request.method == "POST":
        report = request_portfolio_report(requested_by=request.user)
        return redirect("reports:report-status", report.pk)
    rows = portfolio_rows(queries.commissioned_services(request.user), request.user, in_full=False)
    context = {"rows": rows, "recent": queries.recent_portfolios(request.user), "today": timezone.localdate()}
    return render(request, "reports/portfolio.html", context)


@login_required
def service_summary_pdf(request, slug):
    require("view_portfolio", request.user)
    service = get_object_or_404(queries.commissioned_services(request.user), slug=slug)
    built = build_summary(service, request.user)
    return _pdf_response(_filename(service.name, "summary"), content=built.pdf)


# --- reports built in the background ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network_reports(request):
    require("build_network_reports", request.user)
    form = NetworkReportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        report = request_network_report(requested_by=request.user, **form.cleaned_data)
        return redirect("reports:report-status", report.pk)
    return render(request, "reports/network_reports.html", {"form": form, "reports": queries.recent_network_reports()})


def _own_report_or_404(user, pk):
    report = get_object_or_404(queries.background_reports(), pk=pk)
    require(f"read_{report.kind}_report", user, report)
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_status(request, pk):
    report = _own_report_or_404(request.user, pk)
    if request.method == "POST" and "again" in request.POST and (report.status == JobStatus.FAILED or is_stuck(report)):
        build_again(report)
        return redirect("reports:report-status", report.pk)
    waiting = report.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not is_stuck(report)
    return render(request, "reports/report_status.html", {"report": report, "waiting": waiting, "stuck": is_stuck(report)})


@login_required
def report_download(request, pk):
    report = _own_report_or_404(request.user, pk)
    if report.status != JobStatus.READY or not report.file:
        raise Http404
    mark_seen(report, request.user)
    if report.kind == ReportKind.NETWORK:
        name = _filename(report.edition.framework.name, report.edition.version, report.year, "network-report")
    else:
        name = _filename("portfolio", report.created_at.date().isoformat())
    return _pdf_response(name, report=report)


# --- the visit pack on paper --------------------------------------------------------------------


@login_required
def visit_pack(request, pk):
    """A printable pack for a member of the review team (or an administrator), built for them."""
    cycle = cycle_or_404(request.user, pk)
    require("print_visit_pack", request.user, cycle)
    pack = build_visit_pack(cycle, request.user)
    return _pdf_response(_filename(cycle.service.name, "visit-pack"), content=pack.content)
