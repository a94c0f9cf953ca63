"""What waits for the service's staff and lead in the self-assessment, for the home page's
"Waiting for you" (assurance.waiting): the answers to give while it is open, and for the lead,
submitting it once every answer is in. One query, whatever the number of cycles."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.waiting import WaitingItem
from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact, sees
from reviews.selfassessment.models import Perspective, SelfRating
from reviews.selfassessment.queries import RATERS
from standards.models import Criterion

STAFF = Perspective.STAFF


def _counted(queryset, key):
    return Coalesce(Subquery(queryset.values(key).annotate(n=Count("pk")).values("n")), 0)


def waiting(request):
    user, roles = request.user, roles_of(request.user)
    service_ids = roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF)
    if not service_ids:
        return []
    answered = SelfRating.objects.filter(cycle=OuterRef("pk"), perspective=STAFF,
                                         criterion__rated_by__in=RATERS[STAFF]).filter(
        Q(level__isnull=False) | Q(not_applicable=True))
    questions = Criterion.objects.filter(edition=OuterRef("edition"), rated_by__in=RATERS[STAFF])
    cycles = (
        Cycle.objects.filter(service_id__in=service_ids, state=CycleState.OPEN)
        .select_related("service", "visit").prefetch_related("visit__team")
        .annotate(answered=_counted(answered, "cycle"), questions=_counted(questions, "edition"))
        .order_by("service__name")
    )
    items = []
    for cycle in cycles:
        if not sees(user, cycle, Fact.STAFF_RATINGS):
            continue
        service, due = cycle.service.name, cycle.self_assessment_due
        if cycle.answered < cycle.questions:
            items.append(WaitingItem(
                _("The self-assessment of %(service)s is open: %(answered)d of %(total)d questions answered.")
                % {"service": service, "answered": cycle.answered, "total": cycle.questions},
                reverse("reviews:hub", args=[cycle.pk, STAFF]), due=due, action_label=_("Answer the questions"),
            ))
        elif cycle.questions and roles.holds_for(cycle.service_id, RoleKind.SERVICE_LEAD):
            items.append(WaitingItem(
                _("All %(total)d questions of the self-assessment of %(service)s are answered: check the answers "
                  "and submit it.") % {"service": service, "total": cycle.questions},
                reverse("reviews:answer-step", args=[cycle.pk, STAFF, "check"]), due=due,
                action_label=_("Check and submit"),
            ))
    return items
