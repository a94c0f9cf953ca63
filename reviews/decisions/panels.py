"""What the home page shows of deciding reviews: recommendations waiting for the administrators."""

import rules
from django.conf import settings

from assurance.panels import Panel
from reviews.decisions.queries.ratify import waiting_for_ratification as recommendations_waiting


def waiting_for_ratification(request):
    """Recommended outcomes an administrator may ratify or return: one query."""
    if not rules.test_rule("see_ratification_queue", request.user):
        return None
    waiting = recommendations_waiting(request.user)
    if not waiting:
        return None
    return Panel("decisions/_home_ratification.html",
                 {"recommendations": waiting, "panel_size": settings.RATIFICATION_PANEL_SIZE})
