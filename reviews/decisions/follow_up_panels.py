"""The follow-up review's place on the cycle page: where it stands, its due date and a link."""

from django.utils import timezone

from assurance.panels import Panel
from reviews.decisions.models import FollowUp, FollowUpStatus
from reviews.disclosure import Fact, disclosure


def cycle_section(request, cycle, forms):
    """The latest follow-up of the cycle, for those who may see follow-ups."""
    disclosed = disclosure(request.user, cycle)
    if Fact.FOLLOW_UP not in disclosed:
        return None
    latest = FollowUp.objects.filter(cycle=cycle).order_by("-opened_at", "-pk").first()
    if latest is None:
        return None
    overdue = latest.status == FollowUpStatus.OPEN and latest.due_on < timezone.localdate()
    return Panel("decisions/follow_up_cycle_section.html", {"follow_up": latest, "overdue": overdue})
