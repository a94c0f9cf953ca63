"""Appeals against a decision: the service's lead lodges one within the network's window, with
grounds; a network administrator appoints a panel of people not involved in the review; a panel
member decides it. Upheld, the decision changes and the final report's next version is issued
(through `decision_changed`); dismissed, the decision stands."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from reviews.cycles.models import CycleState
from reviews.cycles.services import locked
from reviews.decisions.dates import award_valid_until
from reviews.decisions.models import Appeal, AppealResult, AppealStatus
from reviews.decisions.queries.appeals import panel_candidates
from reviews.decisions.signals import decision_changed
from reviews.errors import ReviewError
from reviews.peer.models import AWARD_OUTCOMES, Decision, DecisionOutcome


def appeal_deadline(decision):
    """The last day on which the service may appeal this decision."""
    return timezone.localdate(decision.recorded_at) + datetime.timedelta(days=settings.APPEAL_WINDOW_DAYS)


@transaction.atomic
def lodge_appeal(cycle, *, grounds, lodged_by):
    cycle = locked(cycle.pk)
    if not roles_of(lodged_by).holds_for(cycle.service_id, RoleKind.SERVICE_LEAD):
        raise ReviewError(_("Only the service's lead may appeal the decision."))
    decision = Decision.objects.filter(cycle=cycle).first()
    if cycle.state not in CycleState.CONCLUDED or decision is None:
        raise ReviewError(_("A decision can be appealed once it is recorded."))
    deadline = appeal_deadline(decision)
    if timezone.localdate() > deadline:
        raise ReviewError(_("Appeals against this decision had to be lodged by %(deadline)s.")
                          % {"deadline": _day(deadline)})
    if cycle.appeals.filter(status=AppealStatus.LODGED).exists():
        raise ReviewError(_("This decision is already under appeal."))
    if cycle.appeals.filter(status=AppealStatus.DECIDED).exists():
        raise ReviewError(_("The appeal panel has decided an appeal against this decision; its decision is final."))
    grounds = (grounds or "").strip()
    if not grounds:
        raise ReviewError(_("Give the grounds for the appeal: what the decision got wrong, and why."),
                          field="grounds")
    appeal = Appeal.objects.create(cycle=cycle, grounds=grounds, lodged_by=lodged_by, earlier_outcome=decision.outcome)
    # The decision now stands under appeal: the report's next version says so.
    decision_changed.send(sender=Appeal, cycle=cycle, actor=lodged_by, reason=_("Appeal lodged."))
    return appeal


def _locked_appeal(appeal):
    """The appeal and its cycle, both locked: deciding, appointing and withdrawing never interleave."""
    cycle = locked(appeal.cycle_id)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    appeal.cycle = cycle
    return appeal


@transaction.atomic
def appoint_panel(appeal, *, members, appointed_by):
    appeal = _locked_appeal(appeal)
    if not roles_of(appointed_by).is_network_admin:
        raise ReviewError(_("A network administrator appoints the appeal panel."))
    if not appeal.is_open:
        raise ReviewError(_("This appeal is no longer open."))
    if appeal.panel.filter(pk=appointed_by.pk).exists():
        raise ReviewError(_("You sit on this appeal's panel, so another administrator changes who is on it."))
    members = list(members)
    if not members:
        raise ReviewError(_("Choose at least one person for the panel."), field="members")
    eligible = set(panel_candidates(appeal.cycle).values_list("pk", flat=True))
    refused = [str(person) for person in members if person.pk not in eligible]
    if refused:
        raise ReviewError(
            _("%(people)s cannot sit on this panel: it is made of network administrators who took no part in the "
              "review, hold no role at the service or another service of its organisation, and declared no "
              "conflict of interest with either.")
            % {"people": ", ".join(refused)}, field="members")
    appeal.panel.set(members)
    return appeal


@transaction.atomic
def decide_appeal(appeal, *, result, new_outcome="", reasons, valid_until=None, decided_by):
    appeal = _locked_appeal(appeal)
    if not appeal.is_open:
        raise ReviewError(_("This appeal is no longer open."))
    if not appeal.panel.filter(pk=decided_by.pk).exists():
        raise ReviewError(_("Only a member of the appeal panel decides the appeal."))
    if result not in AppealResult.values:
        raise ReviewError(_("Choose whether the appeal is upheld or dismissed."), field="result")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ReviewError(_("Give the panel's reasons."), field="reasons")
    upheld = result == AppealResult.UPHELD
    if upheld:
        _check_new_outcome(appeal, new_outcome)
    appeal.result = result
    appeal.new_outcome = new_outcome if upheld else ""
    appeal.reasons = reasons
    appeal.status = AppealStatus.DECIDED
    appeal.decided_by = decided_by
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["result", "new_outcome", "reasons", "status", "decided_by", "decided_at"])
    if upheld:  # after the appeal is saved as decided: the report issued now says it was upheld
        _change_decision(appeal, new_outcome, reasons, valid_until, decided_by)
    return appeal


def _check_new_outcome(appeal, new_outcome):
    if new_outcome not in DecisionOutcome.values:
        raise ReviewError(_("Choose the outcome the decision becomes."), field="new_outcome")
    if new_outcome == appeal.earlier_outcome:
        raise ReviewError(_("An upheld appeal changes the outcome: choose one other than %(outcome)s.")
                          % {"outcome": DecisionOutcome(appeal.earlier_outcome).label}, field="new_outcome")


def _change_decision(appeal, new_outcome, reasons, valid_until, decided_by):
    decision = Decision.objects.select_for_update().get(cycle=appeal.cycle)
    if new_outcome in AWARD_OUTCOMES:
        decision.valid_until = (valid_until or decision.valid_until
                                or award_valid_until(timezone.localdate(decision.recorded_at)))
    else:
        decision.valid_until = None
    decision.outcome = new_outcome
    decision.rationale = _("On appeal: %(reasons)s") % {"reasons": reasons} + "\n\n" + decision.rationale
    decision.save(update_fields=["outcome", "rationale", "valid_until"])
    decision_changed.send(sender=Appeal, cycle=appeal.cycle, actor=decided_by,
                          reason=_("Appeal upheld: %(reasons)s") % {"reasons": reasons})


@transaction.atomic
def withdraw_appeal(appeal, *, withdrawn_by):
    appeal = _locked_appeal(appeal)
    if not roles_of(withdrawn_by).holds_for(appeal.cycle.service_id, RoleKind.SERVICE_LEAD):
        raise ReviewError(_("Only the service's lead may withdraw its appeal."))
    if not appeal.is_open:
        raise ReviewError(_("This appeal is no longer open."))
    appeal.status = AppealStatus.WITHDRAWN
    appeal.save(update_fields=["status"])
    decision_changed.send(sender=Appeal, cycle=appeal.cycle, actor=withdrawn_by, reason=_("Appeal withdrawn."))
    return appeal


def _day(day):
    return f"{day.day} {day:%B %Y}"
