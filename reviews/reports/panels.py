"""What the home page shows of reports: those built in the background that are ready, and the
way to network reports for administrators."""

import rules

from assurance.panels import Panel
from reviews.reports.queries import ready_unseen_reports


def ready_reports(request):
    reports = list(ready_unseen_reports(request.user))
    return Panel("reports/_home_ready_reports.html", {"reports": reports}) if reports else None


def network_reports(request):
    """A card of the network overview: where network reports are built."""
    if not rules.test_rule("build_network_reports", request.user):
        return None
    return Panel("reports/_home_network_reports.html")
