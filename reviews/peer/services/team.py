"""The peer-review visit: its plan and timetable, the team and who may join it, declared
conflicts of interest, and starting the review."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assurance.roles import forget_roles, roles_of
from reviews.cycles.models import CycleState
from reviews.cycles.services import locked, move
from reviews.errors import ReviewError
from reviews.peer.models import ROLE_FOR_PLACE, ConflictOfInterest, TeamMember, TeamRole, TimetableItem, Visit
from reviews.peer.records import reviewer_record_of, vetting_refusal, visit_day
from reviews.peer.ties import TieKind, tie_to
from reviews.templatetags.review_tags import long_date

# --- the visit and its team -------------------------------------------------------------------


@transaction.atomic
def plan_visit(cycle, *, date, notes, planned_by, independent_ratings=None):
    cycle = locked(cycle.pk)
    if cycle.state not in CycleState.TEAM_CAN_CHANGE:
        raise ReviewError(_("The visit can no longer be changed: the ratings are agreed."))
    if independent_ratings is not None and independent_ratings != cycle.independent_ratings:
        if cycle.state == CycleState.VISIT:
            raise ReviewError(_("Whether reviewers rate independently cannot change once they have started rating."))
        cycle.independent_ratings = independent_ratings
        cycle.save(update_fields=["independent_ratings"])
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    if date is not None and date != visit.date:
        _require_after_opening(cycle, date)
    visit.date = date
    visit.notes = notes
    visit.save()
    return visit


def _require_after_opening(cycle, date):
    opened_on = timezone.localdate(cycle.opened_at)
    if date < opened_on:
        raise ReviewError(visit_before_opening(opened_on), field="date")


def visit_before_opening(opened_on):
    """The refusal of a visit date before the cycle opened: the form's and the service's alike."""
    return _("The visit cannot be before the review cycle opened, on %(day)s.") % {
        "day": long_date(opened_on)}


@transaction.atomic
def add_timetable_item(visit, *, starts_at, ends_at, kind, details):
    if ends_at and ends_at <= starts_at:
        raise ReviewError(_("The item must end after it starts."))
    return TimetableItem.objects.create(visit=visit, starts_at=starts_at, ends_at=ends_at, kind=kind, details=details)


@transaction.atomic
def remove_timetable_item(item):
    cycle = locked(item.visit.cycle_id)
    if cycle.state not in CycleState.TEAM_CAN_CHANGE:
        raise ReviewError(_("The visit can no longer be changed: the ratings are agreed."))
    item.delete()


def ineligibility(user, cycle, place):
    """Why this person may not take this place on this cycle's team, or None if they may."""
    roles = roles_of(user)
    if not roles.has(ROLE_FOR_PLACE[place]):
        return _("%(person)s is not a %(role)s in the network.") % {
            "person": user,
            "role": TeamRole(place).label.lower(),
        }
    tie = tie_to(user, cycle.service)
    if tie is not None:
        return team_refusal(user, tie)
    if cycle.service.is_secure_setting:
        return vetting_refusal(user, reviewer_record_of(user), cycle.service, visit_day(cycle))
    return None


def team_refusal(user, tie):
    """Why a person tied to the service may not be on its team, in a sentence naming them."""
    names = {"person": user, "service": tie.service, "organisation": tie.organisation, "home": tie.home}
    return {
        TieKind.HOME: _("%(person)s belongs to %(service)s, and nobody reviews their own service."),
        TieKind.SAME_ORGANISATION: _("%(person)s belongs to %(home)s in %(organisation)s, which runs %(service)s, "
                                     "and nobody reviews a service of their own organisation."),
        TieKind.COMMISSIONER: _("%(person)s commissions %(service)s, and nobody reviews a service they are tied to."),
        TieKind.CONFLICT: _("%(person)s has declared a conflict of interest with %(service)s."),
        TieKind.ORGANISATION_CONFLICT: _("%(person)s has declared a conflict of interest with %(organisation)s, "
                                         "which runs %(service)s."),
    }[tie.kind] % names


@transaction.atomic
def add_team_member(cycle, *, user, place, added_by):
    cycle = locked(cycle.pk)
    if cycle.state not in CycleState.TEAM_CAN_CHANGE:
        raise ReviewError(_("The team can no longer change: the ratings are agreed."))
    forget_roles(user)
    reason = ineligibility(user, cycle, place)
    if reason:
        raise ReviewError(reason)
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    if visit.team.filter(user=user).exists():
        raise ReviewError(_("%(person)s is already on the team.") % {"person": user})
    if place == TeamRole.LEAD_REVIEWER and visit.team.filter(role=TeamRole.LEAD_REVIEWER).exists():
        raise ReviewError(_("The team already has a lead reviewer. Remove them first to choose another."))
    return TeamMember.objects.create(visit=visit, user=user, role=place)


@transaction.atomic
def remove_team_member(member, *, removed_by):
    cycle = locked(member.visit.cycle_id)
    if cycle.state not in CycleState.TEAM_CAN_CHANGE:
        raise ReviewError(_("The team can no longer change: the ratings are agreed."))
    if member.ratings.exists():
        raise ReviewError(
            _("%(person)s has already rated criteria, so they stay on the team: their ratings are part of the record.")
            % {"person": member.user}
        )
    member.delete()


@transaction.atomic
def declare_conflict(*, user, reason, service=None, organisation=None):
    """A reviewer's conflict of interest with one service, or with a whole organisation and so
    with every service it runs."""
    if (service is None) == (organisation is None):
        raise ReviewError(_("Choose the service or the organisation you have a conflict of interest with."),
                          field="service")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Say briefly what the conflict of interest is."), field="reason")
    services = [service] if service is not None else list(organisation.services.all())
    current = (TeamMember.objects.filter(user=user, visit__cycle__service__in=services)
               .exclude(visit__cycle__state=CycleState.CLOSED).select_related("visit__cycle__service").first())
    if current is not None:
        on_team_for = current.visit.cycle.service
        raise ReviewError(
            _("You are on the team for %(service)s's current review. Tell the network administrator, who will "
              "find someone else.") % {"service": on_team_for}
        )
    try:
        with transaction.atomic():
            return ConflictOfInterest.objects.create(user=user, service=service, organisation=organisation,
                                                     reason=reason)
    except IntegrityError:
        raise ReviewError(_("You have already declared a conflict of interest with %(what)s.")
                          % {"what": service or organisation}) from None


@transaction.atomic
def start_peer_review(cycle, *, started_by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.SELF_ASSESSMENT_SUBMITTED:
        raise ReviewError(_("The peer review starts once the self-assessment is submitted."))
    visit = Visit.objects.filter(cycle=cycle).first()
    if visit is None or not visit.team.filter(role=TeamRole.LEAD_REVIEWER).exists():
        raise ReviewError(_("Put a lead reviewer on the team before starting the peer review."))
    move(cycle, CycleState.VISIT, started_by)
    cycle.save(update_fields=["state"])
    return cycle
