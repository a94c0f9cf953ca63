"""Inviting people to a visit: the review team and the service's lead are invited and accept or
decline with a reason; two or three dates are proposed, each invitee says on which they could
come, and one is agreed as the visit's date. Each action runs in one transaction and refuses
with a ReviewError naming the field it is about."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.models import Role, RoleKind
from reviews.cycles.models import CycleState
from reviews.cycles.services import locked
from reviews.errors import ReviewError
from reviews.peer.models import (
    Availability,
    DateAvailability,
    InvitationStatus,
    InviteeKind,
    ProposedDate,
    TeamMember,
    Visit,
    VisitInvitation,
)
from reviews.peer.services.team import plan_visit, visit_before_opening
from reviews.peer.signals import visit_date_agreed, visit_dates_proposed, visit_invitations_sent
from reviews.templatetags.review_tags import long_date

MIN_DATES, MAX_DATES = 2, 3


def _require_team_can_change(cycle):
    if cycle.state not in CycleState.TEAM_CAN_CHANGE:
        raise ReviewError(_("The visit can no longer be changed: the ratings are agreed."))


def _invitees(cycle, visit):
    """{user id: kind} of everyone a visit invites: its team, and the service's lead(s)."""
    found = {user_id: InviteeKind.TEAM for user_id in TeamMember.objects.filter(visit=visit).values_list(
        "user_id", flat=True)}
    leads = Role.objects.filter(kind=RoleKind.SERVICE_LEAD, service_id=cycle.service_id, user__is_active=True)
    for user_id in leads.values_list("user_id", flat=True):
        found.setdefault(user_id, InviteeKind.SERVICE)
    return found


@transaction.atomic
def send_invitations(cycle, *, by):
    """Invites everyone on the team and the service's lead who is not invited yet. Returns the
    new invitations (none when everyone was invited already)."""
    cycle = locked(cycle.pk)
    _require_team_can_change(cycle)
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    if not visit.team.exists():
        raise ReviewError(_("Put people on the review team before inviting them."))
    invitees = _invitees(cycle, visit)
    # A former team member's invitation goes: they are no longer expected at the visit.
    visit.invitations.filter(kind=InviteeKind.TEAM).exclude(user_id__in=invitees).delete()
    already = set(visit.invitations.values_list("user_id", flat=True))
    new = [VisitInvitation.objects.create(visit=visit, user_id=user_id, kind=kind, invited_by=by)
           for user_id, kind in invitees.items() if user_id not in already]
    if new:
        visit_invitations_sent.send(sender=VisitInvitation, visit=visit, invitation_ids=[i.pk for i in new])
    return new


def invite_newcomers(cycle, *, by):
    """Once invitations are out, invites whoever joined the team since (nothing before)."""
    if not VisitInvitation.objects.filter(visit__cycle=cycle).exists():
        return []
    return send_invitations(cycle, by=by)


@transaction.atomic
def withdraw_invitation(cycle, user):
    """Someone taken off the team is no longer invited (the service's lead stays invited)."""
    VisitInvitation.objects.filter(visit__cycle=cycle, user=user, kind=InviteeKind.TEAM).delete()


@transaction.atomic
def answer_invitation(invitation, *, accepted, reason=""):
    """Accepts or declines an invitation; declining says why. The answer may change until the
    visit's day."""
    cycle = locked(invitation.visit.cycle_id)
    invitation = VisitInvitation.objects.select_related("visit").get(pk=invitation.pk)
    _require_visit_to_come(cycle, invitation.visit)
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ReviewError(_("Say why you cannot come."), field="reason")
    invitation.status = InvitationStatus.ACCEPTED if accepted else InvitationStatus.DECLINED
    invitation.reason = "" if accepted else reason
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "reason", "answered_at"])
    return invitation


def visit_to_come(cycle, visit):
    """Whether the invited may still answer: until the visit's day, and while the team can change."""
    return cycle.state in CycleState.TEAM_CAN_CHANGE and not (visit.date and visit.date < timezone.localdate())


def _require_visit_to_come(cycle, visit):
    if not visit_to_come(cycle, visit):
        raise ReviewError(_("The visit has taken place: answers can no longer change."))


@transaction.atomic
def propose_dates(cycle, dates, *, by):
    """Proposes two or three dates for the visit. They replace the earlier proposals nobody has
    answered on yet; those someone answered on stay, with their answers."""
    cycle = locked(cycle.pk)
    _require_team_can_change(cycle)
    _check_dates(cycle, dates)
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    visit.proposed_dates.filter(answers__isnull=True).exclude(date__in=dates).delete()
    kept = set(visit.proposed_dates.values_list("date", flat=True))
    for date in dates:
        if date not in kept:
            ProposedDate.objects.create(visit=visit, date=date, proposed_by=by)
    visit_dates_proposed.send(sender=ProposedDate, visit=visit)
    return list(visit.proposed_dates.all())


def _check_dates(cycle, dates):
    if not MIN_DATES <= len(dates) <= MAX_DATES:
        raise ReviewError(_("Propose two or three dates."))
    today, opened_on = timezone.localdate(), timezone.localdate(cycle.opened_at)
    seen = set()
    for number, date in enumerate(dates, start=1):
        field = f"date_{number}"
        if date in seen:
            raise ReviewError(_("%(day)s is proposed twice: propose another date.") % {"day": long_date(date)},
                              field=field)
        seen.add(date)
        if date < opened_on:
            raise ReviewError(visit_before_opening(opened_on), field=field)
        if date < today:
            raise ReviewError(_("%(day)s has passed: propose a date to come.") % {"day": long_date(date)}, field=field)


@transaction.atomic
def answer_availability(visit, user, answers):
    """Records on which proposed dates an invitee could come: answers is {ProposedDate: Availability}."""
    cycle = locked(visit.cycle_id)
    _require_visit_to_come(cycle, visit)
    if not VisitInvitation.objects.filter(visit=visit, user=user).exists():
        raise ReviewError(_("Only the people invited to the visit say when they could come."))
    proposed = {p.pk: p for p in visit.proposed_dates.all()}
    if not answers:
        raise ReviewError(_("Say for each date whether you could come."))
    for proposed_date, answer in answers.items():
        if proposed_date.pk not in proposed:
            raise ReviewError(_("That date is no longer proposed. Look at the dates again."))
        if answer not in Availability.values:
            raise ReviewError(_("Say whether you could come on %(day)s.") % {"day": long_date(proposed_date.date)},
                              field=f"on_{proposed_date.pk}")
        DateAvailability.objects.update_or_create(proposed_date=proposed[proposed_date.pk], user=user,
                                                  defaults={"answer": answer})


@transaction.atomic
def agree_date(cycle, proposed_date, *, by):
    """Makes a proposed date the visit's date (keeping the visit's notes), and clears the proposals."""
    cycle = locked(cycle.pk)
    visit = Visit.objects.filter(cycle=cycle).first()
    if visit is None or not visit.proposed_dates.filter(pk=proposed_date.pk).exists():
        raise ReviewError(_("That date is no longer proposed. Look at the dates again."))
    if proposed_date.date < timezone.localdate():
        raise ReviewError(_("%(day)s has passed: propose new dates.") % {"day": long_date(proposed_date.date)})
    visit = plan_visit(cycle, date=proposed_date.date, notes=visit.notes, planned_by=by)
    visit.proposed_dates.all().delete()
    announce_date(visit)
    return visit


def announce_date(visit):
    """Tells the invited the visit's date, once invitations are out (again whenever it changes)."""
    if visit.date and visit.invitations.exists():
        visit_date_agreed.send(sender=Visit, visit=visit, date=visit.date)
