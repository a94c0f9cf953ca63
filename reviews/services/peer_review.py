"""Peer review: the visit and its team, independent ratings, and agreeing ratings."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assurance.models import RoleKind
from assurance.roles import forget_roles, roles_of
from reviews.models import (
    AgreedRating,
    ConflictOfInterest,
    CycleState,
    PeerRating,
    Perspective,
    SelfRating,
    TeamMember,
    TeamRole,
    TimetableItem,
    Visit,
)
from reviews.queries import counted_peer_ratings
from reviews.scoring import flags, spread
from reviews.services.cycles import ReviewError, locked, move

# The reviewer role a person needs in the network for each place on a team.
ROLE_FOR_PLACE = {
    TeamRole.PEER_REVIEWER: RoleKind.PEER_REVIEWER,
    TeamRole.LIVED_EXPERIENCE_REVIEWER: RoleKind.LIVED_EXPERIENCE_REVIEWER,
    TeamRole.LEAD_REVIEWER: RoleKind.LEAD_REVIEWER,
}
TEAM_CAN_CHANGE = (CycleState.OPEN, CycleState.SELF_ASSESSMENT_SUBMITTED, CycleState.VISIT)


# --- the visit and its team -------------------------------------------------------------------


@transaction.atomic
def plan_visit(cycle, *, date, notes, planned_by, independent_ratings=None):
    cycle = locked(cycle.pk)
    if cycle.state not in TEAM_CAN_CHANGE:
        raise ReviewError(_("The visit can no longer be changed: the ratings are agreed."))
    if independent_ratings is not None and independent_ratings != cycle.independent_ratings:
        if cycle.state == CycleState.VISIT:
            raise ReviewError(_("Whether reviewers rate independently cannot change once they have started rating."))
        cycle.independent_ratings = independent_ratings
        cycle.save(update_fields=["independent_ratings"])
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    visit.date = date
    visit.notes = notes
    visit.save()
    return visit


@transaction.atomic
def add_timetable_item(visit, *, starts_at, ends_at, kind, details):
    if ends_at and ends_at <= starts_at:
        raise ReviewError(_("The item must end after it starts."))
    return TimetableItem.objects.create(visit=visit, starts_at=starts_at, ends_at=ends_at, kind=kind, details=details)


@transaction.atomic
def remove_timetable_item(item):
    cycle = locked(item.visit.cycle_id)
    if cycle.state not in TEAM_CAN_CHANGE:
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
    if cycle.service_id in roles.home_service_ids:
        return _("%(person)s belongs to %(service)s, and nobody reviews their own service.") % {
            "person": user,
            "service": cycle.service,
        }
    if roles.holds_for(cycle.service_id, RoleKind.COMMISSIONER):
        return _("%(person)s commissions %(service)s, and nobody reviews a service they are tied to.") % {
            "person": user,
            "service": cycle.service,
        }
    if ConflictOfInterest.objects.filter(user=user, service_id=cycle.service_id).exists():
        return _("%(person)s has declared a conflict of interest with %(service)s.") % {
            "person": user,
            "service": cycle.service,
        }
    return None


@transaction.atomic
def add_team_member(cycle, *, user, place, added_by):
    cycle = locked(cycle.pk)
    if cycle.state not in TEAM_CAN_CHANGE:
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
    if cycle.state not in TEAM_CAN_CHANGE:
        raise ReviewError(_("The team can no longer change: the ratings are agreed."))
    if member.ratings.exists():
        raise ReviewError(
            _("%(person)s has already rated criteria, so they stay on the team: their ratings are part of the record.")
            % {"person": member.user}
        )
    member.delete()


@transaction.atomic
def declare_conflict(*, user, service, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Say briefly what the conflict of interest is."))
    if TeamMember.objects.filter(user=user, visit__cycle__service=service).exclude(
        visit__cycle__state=CycleState.CLOSED
    ).exists():
        raise ReviewError(
            _("You are on the team for %(service)s's current review. Tell the network administrator, who will "
              "find someone else.") % {"service": service}
        )
    try:
        with transaction.atomic():
            return ConflictOfInterest.objects.create(user=user, service=service, reason=reason)
    except IntegrityError:
        raise ReviewError(_("You have already declared a conflict of interest with %(service)s.") % {"service": service}) from None


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


# --- independent ratings ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeerAnswer:
    criterion_id: int
    level_id: int | None = None
    not_applicable: bool = False
    abstained: bool = False
    abstain_reason: str = ""
    comment: str = ""
    base_version: int = 0

    def content(self):
        return (self.level_id, self.not_applicable, self.abstained, self.abstain_reason, self.comment)


@dataclass
class PeerSaveResult:
    saved: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # criterion ids saved meanwhile (another tab)
    versions: dict = field(default_factory=dict)


def _content(rating):
    return (rating.level_id, rating.not_applicable, rating.abstained, rating.abstain_reason, rating.comment)


@transaction.atomic
def save_peer_ratings(member, answers):
    """Saves a reviewer's own ratings. A version older than the stored one is not saved (the same
    reviewer in another tab or device saved meanwhile) unless the content is the same."""
    member = TeamMember.objects.select_for_update().select_related("visit__cycle").get(pk=member.pk)
    if member.visit.cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be made only while the peer review is under way."))
    if member.has_submitted:
        raise ReviewError(_("You have submitted your ratings, so they can no longer change."))
    stored = {
        r.criterion_id: r
        for r in PeerRating.objects.select_for_update().filter(
            team_member=member, criterion_id__in=[a.criterion_id for a in answers]
        )
    }
    result = PeerSaveResult()
    for answer in answers:
        rating = stored.get(answer.criterion_id)
        version = rating.version if rating else 0
        if (rating and _content(rating) == answer.content()) or (not rating and not any(answer.content())):
            result.versions[answer.criterion_id] = version
            continue
        if answer.base_version != version:
            result.conflicts.append(answer.criterion_id)
            result.versions[answer.criterion_id] = version
            continue
        rating = rating or PeerRating(team_member=member, criterion_id=answer.criterion_id)
        rating.level_id = answer.level_id if not (answer.not_applicable or answer.abstained) else None
        rating.not_applicable = answer.not_applicable
        rating.abstained = answer.abstained
        rating.abstain_reason = answer.abstain_reason if answer.abstained else ""
        rating.comment = answer.comment
        rating.version = version + 1
        rating.save()
        result.saved.append(rating)
        result.versions[answer.criterion_id] = rating.version
    return result


def unrated_criteria(member):
    """Criteria this reviewer has not yet rated, marked N/A, or abstained on with a reason."""
    criteria = list(member.visit.cycle.edition.criteria.select_related("value").order_by("value__order", "order"))
    done = {
        r.criterion_id
        for r in member.ratings.all()
        if r.level_id or r.not_applicable or (r.abstained and r.abstain_reason.strip())
    }
    return [c for c in criteria if c.pk not in done]


@transaction.atomic
def submit_peer_ratings(member):
    member = TeamMember.objects.select_for_update().select_related("visit__cycle__edition").get(pk=member.pk)
    if member.visit.cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be submitted only while the peer review is under way."))
    if member.has_submitted:
        raise ReviewError(_("You have already submitted your ratings."))
    missing = unrated_criteria(member)
    if missing:
        raise ReviewError(
            ngettext(
                "%(count)d criterion still needs a rating, Not applicable, or an abstention with a reason: %(codes)s.",
                "%(count)d criteria still need a rating, Not applicable, or an abstention with a reason: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": ", ".join(c.code for c in missing[:12])}
        )
    member.ratings_submitted_at = timezone.now()
    member.save(update_fields=["ratings_submitted_at"])
    return member


# --- agreeing ratings -------------------------------------------------------------------------


def rationale_needed(cycle, criterion, level, not_applicable):
    """Why the lead must explain this agreed rating, or None: it differs from the service's own
    rating (the staff's, or the members' where only members rate the criterion), or the reviewers
    disagreed."""
    own_voice = Perspective.MEMBERS if criterion.rated_by == "members" else Perspective.STAFF
    own = SelfRating.objects.filter(cycle=cycle, criterion=criterion, perspective=own_voice).select_related("level").first()
    reviewer_levels = [
        r.level.value if r.level_id else None
        for r in counted_peer_ratings(cycle).filter(criterion=criterion).select_related("level")
    ]
    reasons = []
    if own is not None and own.is_answered:
        same = (own.not_applicable and not_applicable) or (
            not own.not_applicable and not not_applicable and own.level_id == getattr(level, "pk", None)
        )
        if not same:
            reasons.append(_("it differs from the service's own rating"))
    if flags(spread(reviewer_levels)).reviewers_disagree:
        reasons.append(_("the reviewers disagreed"))
    return " and ".join(reasons) or None


@transaction.atomic
def agree_rating(cycle, *, criterion, level, not_applicable, rationale, agreed_by, base_version):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be agreed only while the peer review is under way."))
    if criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    if not not_applicable and (level is None or level.edition_id != cycle.edition_id):
        raise ReviewError(_("Choose one of the edition's levels, or Not applicable."))
    rationale = (rationale or "").strip()
    needed = rationale_needed(cycle, criterion, level, not_applicable)
    if needed and not rationale:
        raise ReviewError(_("Give a rationale: %(why)s.") % {"why": needed})
    agreed = AgreedRating.objects.select_for_update().filter(cycle=cycle, criterion=criterion).first()
    version = agreed.version if agreed else 0
    if base_version != version:
        raise ReviewError(
            _("Someone else recorded an agreed rating for %(code)s while you were looking at it. Reload the page to see it.")
            % {"code": criterion.code}
        )
    agreed = agreed or AgreedRating(cycle=cycle, criterion=criterion)
    agreed.level = None if not_applicable else level
    agreed.not_applicable = not_applicable
    agreed.rationale = rationale
    agreed.agreed_by = agreed_by
    agreed.version = version + 1
    agreed.save()
    return agreed


@transaction.atomic
def finish_agreeing(cycle, *, finished_by):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.VISIT:
        raise ReviewError(_("The ratings can be finished only while the peer review is under way."))
    agreed = set(AgreedRating.objects.filter(cycle=cycle).values_list("criterion_id", flat=True))
    missing = [c.code for c in cycle.edition.criteria.order_by("value__order", "order") if c.pk not in agreed]
    if missing:
        raise ReviewError(
            ngettext(
                "%(count)d criterion has no agreed rating yet: %(codes)s.",
                "%(count)d criteria have no agreed rating yet: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": ", ".join(missing[:12])}
        )
    move(cycle, CycleState.RATINGS_AGREED, finished_by)
    cycle.save(update_fields=["state"])
    return cycle
