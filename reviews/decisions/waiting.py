"""What waits for people in deciding a review, for the home page's "Waiting for you"
(assurance.waiting): for administrators, recommendations to ratify, appeals to handle and interim
reviews to read; for the lead reviewer, the outcome to recommend, a follow-up to rate and an interim
review to read; for the service, a follow-up to answer and an interim review due.

Each part runs a fixed number of queries, only for people with the role it is about, and shows a
fact only when the disclosure policy lets this person see it now."""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.waiting import WaitingItem
from reviews.cycles.models import CycleState
from reviews.decisions.models import (
    Appeal,
    AppealStatus,
    FollowUp,
    FollowUpStatus,
    InterimReview,
    Recommendation,
    RecommendationStatus,
)
from reviews.decisions.queries.ratify import waiting_for_ratification
from reviews.disclosure import Fact, sees
from reviews.peer.models import AccuracyComment, TeamMember
from reviews.templatetags.review_tags import long_date


def waiting(request):
    user, roles = request.user, roles_of(request.user)
    items = []
    if roles.is_network_admin:
        items += _to_ratify(user) + _appeals(user)
    if roles.is_network_admin or roles.has(RoleKind.LEAD_REVIEWER):
        items += _interim_reviews_to_read(user, roles)
    if roles.has(RoleKind.LEAD_REVIEWER):
        items += _lead_reviewer_work(user)
    if roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF):
        items += _service_work(user, roles)
    return items


def _with_team(queryset, path="cycle__"):
    """Fetches each cycle's visit and team along: the disclosure policy reads them (no more queries)."""
    return queryset.select_related(f"{path}service", f"{path}visit").prefetch_related(f"{path}visit__team")


def _to_ratify(user):
    return [
        WaitingItem(
            _("%(service)s: %(who)s recommends %(outcome)s%(after)s (recommended on %(day)s; %(ratified)d of "
              "%(needed)d ratifications): ratify it or return it.")
            % {"service": recommendation.cycle.service.name, "outcome": recommendation.get_outcome_display(),
               "who": recommendation.recommended_by or _("the lead reviewer"),
               "after": _(" after the follow-up") if recommendation.follow_up_id else "",
               "day": long_date(recommendation.recommended_at), "ratified": recommendation.ratified,
               "needed": settings.RATIFICATION_PANEL_SIZE},
            reverse("reviews:decision", args=[recommendation.cycle_id]), action_label=_("Ratify or return"),
        )
        for recommendation in waiting_for_ratification(user) if sees(user, recommendation.cycle, Fact.RECOMMENDATION)
    ]


def _appeals(user):
    """Appeals without a panel (any administrator appoints one), and those this person sits on."""
    on_panel = Appeal.panel.through.objects.filter(appeal=OuterRef("pk"), user=user)
    appeals = _with_team(
        Appeal.objects.filter(status=AppealStatus.LODGED)
        .annotate(panel_size=Count("panel"), on_panel=Exists(on_panel)).select_related("cycle")
        .order_by("lodged_at", "pk")
    )
    items = []
    for appeal in appeals:
        if not sees(user, appeal.cycle, Fact.APPEAL_GROUNDS):
            continue
        words = {"service": appeal.cycle.service.name, "day": long_date(appeal.lodged_at)}
        link = reverse("reviews:appeal", args=[appeal.cycle_id])
        if appeal.on_panel:
            items.append(WaitingItem(_("%(service)s appealed against its decision on %(day)s, and you sit on the "
                                       "panel: decide the appeal.") % words, link, action_label=_("Decide the appeal")))
        elif not appeal.panel_size:
            items.append(WaitingItem(_("%(service)s appealed against its decision on %(day)s: appoint the appeal "
                                       "panel.") % words, link, action_label=_("Appoint the panel")))
    return items


def _interim_reviews_to_read(user, roles):
    reviews = InterimReview.objects.filter(submitted_at__isnull=False, reviewed_at__isnull=True,
                                           cycle__state__in=CycleState.CONCLUDED)
    if not roles.is_network_admin:
        reviews = reviews.filter(cycle__visit__team__user=user, cycle__visit__team__role="lead_reviewer")
    return [
        WaitingItem(
            _("%(service)s sent its interim review: read it and note that it was read.")
            % {"service": review.cycle.service.name},
            reverse("reviews:interim-review", args=[review.cycle_id]), action_label=_("Read the interim review"),
        )
        for review in _with_team(reviews.select_related("cycle").order_by("submitted_at", "pk"))
        if sees(user, review.cycle, Fact.INTERIM_REVIEW)
    ]


def _lead_reviewer_work(user):
    """The outcome to recommend once every comment on the draft is answered, and follow-ups sent
    back by the service to rate."""
    unanswered = AccuracyComment.objects.filter(cycle=OuterRef("visit__cycle"), responded_at__isnull=True)
    pending = Recommendation.objects.filter(cycle=OuterRef("visit__cycle"), status=RecommendationStatus.PENDING)
    submitted = FollowUp.objects.filter(cycle=OuterRef("visit__cycle"), status=FollowUpStatus.SUBMITTED)
    places = (
        TeamMember.objects.filter(user=user, role="lead_reviewer", visit__cycle__state__in=(
            CycleState.REPORT_DRAFT, CycleState.FINAL))
        .select_related("visit__cycle__service").prefetch_related("visit__team")
        .annotate(comments_waiting=Exists(unanswered), recommended=Exists(pending), follow_up_sent=Exists(submitted))
        .order_by("visit__cycle__service__name")
    )
    items = []
    for place in places:
        cycle = place.visit.cycle
        words = {"service": cycle.service.name}
        if (cycle.state == CycleState.REPORT_DRAFT and not place.comments_waiting and not place.recommended
                and sees(user, cycle, Fact.RECOMMENDATION)):
            items.append(WaitingItem(
                _("Every comment on the draft report of %(service)s is answered: recommend an outcome.") % words,
                reverse("reviews:decision", args=[cycle.pk]), action_label=_("Recommend an outcome"),
            ))
        if place.follow_up_sent and not place.recommended and sees(user, cycle, Fact.FOLLOW_UP_ANSWERS):
            items.append(WaitingItem(
                _("%(service)s sent its follow-up: rate the criteria again and recommend an outcome.") % words,
                reverse("reviews:follow-up", args=[cycle.pk]), action_label=_("Rate the follow-up"),
            ))
    return items


def _service_work(user, roles):
    service_ids = roles.service_ids(RoleKind.SERVICE_LEAD, RoleKind.STAFF)
    follow_ups = _with_team(FollowUp.objects.filter(cycle__service_id__in=service_ids, status=FollowUpStatus.OPEN)
                            .select_related("cycle").order_by("due_on", "pk"))
    interim = _with_team(InterimReview.objects.filter(cycle__service_id__in=service_ids, submitted_at__isnull=True,
                                                      cycle__state__in=CycleState.CONCLUDED)
                         .select_related("cycle").order_by("due_on", "pk"))
    items = [
        WaitingItem(
            _("The follow-up review of %(service)s is open: answer each criterion not met with what has changed, "
              "and send it.") % {"service": follow_up.cycle.service.name},
            reverse("reviews:follow-up", args=[follow_up.cycle_id]), due=follow_up.due_on,
            action_label=_("Answer the follow-up"),
        )
        for follow_up in follow_ups if sees(user, follow_up.cycle, Fact.FOLLOW_UP_ANSWERS)
    ]
    items += [
        WaitingItem(
            _("The network asks %(service)s for an interim review: say what has changed since the review.")
            % {"service": review.cycle.service.name},
            reverse("reviews:interim-review", args=[review.cycle_id]), due=review.due_on,
            action_label=_("Write the interim review"),
        )
        for review in interim if sees(user, review.cycle, Fact.INTERIM_REVIEW)
    ]
    return items
