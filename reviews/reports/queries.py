"""Scoped querysets of reports: a cycle's finals, the background reports a person may open,
recent ones, and the services a commissioner's portfolio covers."""

from assurance.models import RoleKind, Service
from reviews.reports.models import JobStatus, Report, ReportKind

BACKGROUND_KINDS = (ReportKind.NETWORK, ReportKind.PORTFOLIO)


def final_reports(cycle):
    """The issued versions of a cycle's report (each reader's copies of them are not listed)."""
    return Report.objects.filter(kind=ReportKind.SERVICE, cycle=cycle, is_final=True, audience="").select_related(
        "issued_by"
    )


def background_reports():
    """Reports built by the worker; the rules say whose each one is."""
    return Report.objects.filter(kind__in=BACKGROUND_KINDS).select_related("edition__framework")


def recent_portfolios(user, count=3):
    return Report.objects.filter(kind=ReportKind.PORTFOLIO, owner=user)[:count]


def recent_network_reports(count=20):
    return Report.objects.filter(kind=ReportKind.NETWORK).select_related("edition__framework", "requested_by")[:count]


def ready_unseen_reports(user):
    """Reports this person asked for that are ready and that they have not downloaded yet."""
    return Report.objects.filter(
        requested_by=user, status=JobStatus.READY, seen_by_requester=False
    ).select_related("edition__framework")


def commissioned_services(user):
    return Service.objects.filter(roles__user=user, roles__kind=RoleKind.COMMISSIONER).select_related(
        "organisation", "sector", "region"
    ).order_by("name")
