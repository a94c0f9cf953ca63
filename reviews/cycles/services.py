"""Review cycles: opening them and moving them from one stage to the next."""

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle, CycleEvent, CycleState
from reviews.errors import ReviewError
from standards.models import EditionStatus

# Sent inside open_cycle's transaction, with the new cycle. Later stages bring what they carry
# from the service's earlier reviews (open actions, for the peer review), without this stage,
# which comes first, having to know about them.
cycle_opened = Signal()


@transaction.atomic
def open_cycle(*, service, edition, opened_by, self_assessment_due=None, visit_due=None):
    if edition.status != EditionStatus.PUBLISHED:
        raise ReviewError(
            _("Cycles can only use a published edition; %(edition)s is not.") % {"edition": edition}, field="edition"
        )
    if not service.is_active:
        raise ReviewError(_("%(service)s has left the network.") % {"service": service}, field="service")
    if Cycle.objects.filter(service=service, state__in=CycleState.UNDER_WAY).exists():
        raise ReviewError(
            _("%(service)s already has a review cycle under way. Close it before opening another.")
            % {"service": service},
            field="service",
        )
    if self_assessment_due and visit_due and visit_due < self_assessment_due:
        raise ReviewError(_("The visit cannot be due before the self-assessment."), field="visit_due")
    cycle = Cycle.objects.create(
        service=service,
        edition=edition,
        opened_by=opened_by,
        self_assessment_due=self_assessment_due,
        visit_due=visit_due,
    )
    CycleEvent.objects.create(cycle=cycle, actor=opened_by, to_state=CycleState.OPEN)
    cycle_opened.send(sender=Cycle, cycle=cycle)
    return cycle


def locked(cycle_id):
    """The cycle, locked for the rest of the transaction: stage changes never interleave."""
    return Cycle.objects.select_for_update().select_related("service", "edition").get(pk=cycle_id)


def move(cycle, to_state, actor, reason=""):
    """Records the step to another stage; the caller saves the cycle with its other changes."""
    CycleEvent.objects.create(cycle=cycle, actor=actor, from_state=cycle.state, to_state=to_state, reason=reason)
    cycle.state = to_state


def advance(cycle, *, from_state, to_state, actor, refusal, reason=""):
    """Moves a locked cycle one stage on, recording the step, or refuses with a reason."""
    if cycle.state != from_state:
        raise ReviewError(refusal)
    move(cycle, to_state, actor, reason)
    cycle.save(update_fields=["state"])
    return cycle
