"""The award's section of the cycle page: the outcome and until when it is valid, whether it is
under appeal or how the appeal ended, and the appeal and interim review pages, for those who may
see each."""

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.panels import Panel
from reviews.cycles.models import CycleState
from reviews.disclosure import Fact, disclosure


def latest_appeal(cycle):
    """The appeal that says where the decision stands: the open one, else the last decided."""
    return cycle.appeals.exclude(status="withdrawn").order_by("-lodged_at", "-pk").first()


def cycle_section(request, cycle, forms):
    if cycle.state not in CycleState.CONCLUDED:
        return None
    user = request.user
    disclosed = disclosure(user, cycle)
    if not disclosed.any(Fact.DECISION, Fact.APPEAL, Fact.INTERIM_REVIEW):
        return None
    links = []
    if rules.test_rule("view_appeal", user, cycle):
        links.append((_("Appeal against the decision"), reverse("reviews:appeal", args=[cycle.pk])))
    if rules.test_rule("view_interim_review", user, cycle) and (
            cycle.interim_reviews.exists() or rules.test_rule("request_interim_review", user, cycle)):
        links.append((_("Interim review of the award"), reverse("reviews:interim-review", args=[cycle.pk])))
    return Panel("decisions/_appeal_section.html", {
        "decision": getattr(cycle, "decision", None) if Fact.DECISION in disclosed else None,
        "appeal": latest_appeal(cycle) if Fact.APPEAL in disclosed else None,
        "links": links,
    })
