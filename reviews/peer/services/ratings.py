"""Independent ratings by each reviewer, and agreeing ratings as a team."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.cycles.models import CycleState
from reviews.cycles.services import locked, move
from reviews.errors import ReviewError
from reviews.members.queries import cycle_members_voices
from reviews.peer.models import AgreedRating, PeerRating, TeamMember
from reviews.peer.queries import counted_peer_ratings
from reviews.scoring import flags, spread
from reviews.selfassessment.models import Perspective, SelfRating

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
    done = {rating.criterion_id for rating in member.ratings.all() if rating.is_answered}
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
    rating (the staff's; where only members are asked, the members' level made of their counted
    answers or their meeting's shared answer), or the reviewers disagreed."""
    reviewer_levels = [
        r.level.value if r.level_id else None
        for r in counted_peer_ratings(cycle).filter(criterion=criterion).select_related("level")
    ]
    reasons = []
    if criterion.rated_by == "members":
        voice = cycle_members_voices(cycle).get(criterion.pk)
        if voice is not None and voice.level is not None and (not_applicable or voice.level != getattr(level, "value", None)):
            reasons.append(_("it differs from the members' view"))
    else:
        own = SelfRating.objects.filter(cycle=cycle, criterion=criterion, perspective=Perspective.STAFF).select_related("level").first()
        if own is not None and own.is_answered and not _same_rating(own, level, not_applicable):
            reasons.append(_("it differs from the service's own rating"))
    if flags(spread(reviewer_levels)).reviewers_disagree:
        reasons.append(_("the reviewers disagreed"))
    return " and ".join(reasons) or None


def _same_rating(own, level, not_applicable):
    return (own.not_applicable and not_applicable) or (
        not own.not_applicable and not not_applicable and own.level_id == getattr(level, "pk", None)
    )


@transaction.atomic
def agree_rating(cycle, *, criterion, level, not_applicable, rationale, agreed_by, base_version):
    cycle = locked(cycle.pk)
    if cycle.state != CycleState.VISIT:
        raise ReviewError(_("Ratings can be agreed only while the peer review is under way."))
    if criterion.edition_id != cycle.edition_id:
        raise ReviewError(_("That criterion is not part of this review."))
    if not not_applicable and (level is None or level.edition_id != cycle.edition_id):
        raise ReviewError(_("Choose one of the edition's levels, or Not applicable."), field="level")
    rationale = (rationale or "").strip()
    needed = rationale_needed(cycle, criterion, level, not_applicable)
    if needed and not rationale:
        raise ReviewError(_("Give a rationale: %(why)s.") % {"why": needed}, field="rationale")
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
