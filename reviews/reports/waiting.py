"""What waits for people in reports, for the home page's "Waiting for you" (assurance.waiting):
final reports issued in the last 30 days, for the network administrators and for the commissioners
of the services they are about. One query and its prefetch, whatever the number of reports."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.waiting import WaitingItem
from reviews.disclosure import Fact, sees
from reviews.reports.models import Report, ReportKind
from reviews.templatetags.review_tags import long_date

RECENT = datetime.timedelta(days=30)


def waiting(request):
    user, roles = request.user, roles_of(request.user)
    commissioned = roles.service_ids(RoleKind.COMMISSIONER)
    if not roles.is_network_admin and not commissioned:
        return []
    reports = Report.objects.filter(kind=ReportKind.SERVICE, is_final=True, audience="",
                                    issued_at__gte=timezone.now() - RECENT)
    if not roles.is_network_admin:
        reports = reports.filter(cycle__service_id__in=commissioned)
    reports = reports.select_related("cycle__service", "cycle__visit").prefetch_related("cycle__visit__team")
    latest = {}  # cycle → its newest version issued lately: one item per review
    for report in reports.order_by("-version", "-pk"):
        latest.setdefault(report.cycle_id, report)
    return [
        WaitingItem(
            _("The final report of %(service)s (version %(version)d) is ready: issued on %(day)s.")
            % {"service": report.cycle.service.name, "version": report.version, "day": long_date(report.issued_at)},
            reverse("reports:report", args=[report.cycle_id]), action_label=_("Read the report"),
        )
        for report in latest.values() if sees(user, report.cycle, Fact.DECISION, Fact.AGREED_RATINGS)
    ]
