"""Review cycles: opening them and moving them from one stage to the next."""

from django.db import transaction
from django.utils.translation import gettext as _

from reviews.models import Action, ActionStatus, Cycle, CycleEvent, CycleState
from standards.models import EditionStatus


class ReviewError(Exception):
    """A domain rule was broken; the message says which, in words for the person."""


# --- cycles -----------------------------------------------------------------------------------


@transaction.atomic
def open_cycle(*, service, edition, opened_by, self_assessment_due=None, visit_due=None):
    if edition.status != EditionStatus.PUBLISHED:
        raise ReviewError(_("Cycles can only use a published edition; %(edition)s is not.") % {"edition": edition})
    if not service.is_active:
        raise ReviewError(_("%(service)s has left the network.") % {"service": service})
    if Cycle.objects.filter(service=service).exclude(state=CycleState.CLOSED).exists():
        raise ReviewError(
            _("%(service)s already has a review cycle under way. Close it before opening another.")
            % {"service": service}
        )
    if self_assessment_due and visit_due and visit_due < self_assessment_due:
        raise ReviewError(_("The visit cannot be due before the self-assessment."))
    cycle = Cycle.objects.create(
        service=service,
        edition=edition,
        opened_by=opened_by,
        self_assessment_due=self_assessment_due,
        visit_due=visit_due,
    )
    CycleEvent.objects.create(cycle=cycle, actor=opened_by, to_state=CycleState.OPEN)
    carry_open_actions(cycle)
    return cycle


def carry_open_actions(cycle):
    """Actions not yet done in the service's earlier cycles carry into this one, linked back."""
    earlier = (
        Action.objects.filter(cycle__service=cycle.service, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .exclude(cycle=cycle)
        .filter(carried_to__isnull=True)
    )
    for action in earlier:
        Action.objects.create(
            cycle=cycle,
            description=action.description,
            criterion=_same_criterion_in(cycle.edition, action.criterion),
            owner=action.owner,
            due_date=action.due_date,
            status=action.status,
            carried_from=action,
            created_by=action.created_by,
        )


def _same_criterion_in(edition, criterion):
    if criterion is None:
        return None
    return edition.criteria.filter(code=criterion.code).first()


def move(cycle, to_state, actor, reason=""):
    CycleEvent.objects.create(cycle=cycle, actor=actor, from_state=cycle.state, to_state=to_state, reason=reason)
    cycle.state = to_state


def locked(cycle_id):
    return Cycle.objects.select_for_update().select_related("service", "edition").get(pk=cycle_id)


