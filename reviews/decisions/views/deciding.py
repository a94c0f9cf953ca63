"""The decision page: what the agreed ratings say, the lead reviewer's recommended outcome,
the administrators' ratification or return of it, the decision once ratified, and closing."""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.decisions.forms.ratify import RecommendationForm, VoteForm
from reviews.decisions.models import RecommendationStatus
from reviews.decisions.queries.ratify import recommendations_of
from reviews.decisions.services.ratify import (
    close_review,
    ratify,
    recommend_outcome,
    refusal_to_vote,
    return_recommendation,
)
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action
from reviews.peer import queries as peer_queries


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_decision", request.user, cycle)
    disclosed = disclosure(request.user, cycle)
    computed = peer_queries.decision_for(cycle) if Fact.AGREED_RATINGS in disclosed else None
    recommendations = recommendations_of(cycle) if Fact.RECOMMENDATION in disclosed else []
    pending = next((r for r in recommendations if r.status == RecommendationStatus.PENDING), None)
    forms = {"recommend": RecommendationForm(recommended=bool(computed and computed.recommended)), "vote": VoteForm()}
    if request.method == "POST":
        rule, handler = posted_action(request, DECISION_ACTIONS)
        require(rule, request.user, cycle)
        response = handler(request, cycle, forms, pending)
        if response is not None:
            return response
    context = {
        "cycle": cycle,
        "computed": computed,
        "recorded": getattr(cycle, "decision", None) if Fact.DECISION in disclosed else None,
        "pending": pending,
        "returned": [r for r in recommendations if r.status == RecommendationStatus.RETURNED],
        "ratified": [r for r in recommendations if r.status == RecommendationStatus.RATIFIED],
        "form": forms["recommend"],
        "vote_form": forms["vote"],
        "may_recommend": pending is None and rules.test_rule("recommend_outcome", request.user, cycle),
        "ratifications": sum(vote.ratified for vote in pending.votes.all()) if pending else 0,
        "panel_size": settings.RATIFICATION_PANEL_SIZE,
        "may_vote": _may_vote(request.user, cycle, pending),
        "may_close": rules.test_rule("close_cycle", request.user, cycle),
        "unanswered": peer_queries.unanswered_comments(cycle).count(),
        # The one page where everyone who may see the agreed ratings (members and commissioners too) finds them.
        "agreed": peer_queries.agreed_ratings_of(cycle) if Fact.AGREED_RATINGS in disclosed else [],
    }
    invalid = forms["recommend"].errors or forms["vote"].errors
    return render(request, "decisions/decision.html", context, status=400 if invalid else 200)


def _may_vote(user, cycle, pending):
    if pending is None or not rules.test_rule("ratify_recommendation", user, cycle):
        return False
    return refusal_to_vote(pending, user) is None and all(vote.by_id != user.pk for vote in pending.votes.all())


def _recommend(request, cycle, forms, pending):
    form = forms["recommend"] = RecommendationForm(request.POST)
    if not form.is_valid():
        return None
    try:
        recommend_outcome(cycle, recommended_by=request.user, **form.cleaned_data)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("Your recommendation is recorded. A network administrator ratifies it."))
    return redirect("reviews:decision", cycle.pk)


def _vote(request, cycle, forms, pending, *, returning):
    form = forms["vote"] = VoteForm(request.POST)
    if not form.is_valid():
        return None
    if pending is None:
        messages.error(request, _("There is no recommendation waiting for ratification."))
        return redirect("reviews:decision", cycle.pk)
    reason = form.cleaned_data["reason"]
    try:
        if returning:
            return_recommendation(pending, by=request.user, reason=reason)
        else:
            settled = ratify(pending, by=request.user, reason=reason)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("The recommendation is returned to the lead reviewer, with your reason.")
                     if returning else _ratified_message(settled))
    return redirect("reviews:decision", cycle.pk)


def _ratified_message(recommendation):
    if recommendation.status == RecommendationStatus.RATIFIED:
        return _("Ratified. The decision is recorded and the final report is issued.")
    still = settings.RATIFICATION_PANEL_SIZE - recommendation.votes.filter(ratified=True).count()
    return ngettext("Your ratification is recorded. It needs %(count)d more.",
                    "Your ratification is recorded. It needs %(count)d more.", still) % {"count": still}


def _close(request, cycle, forms, pending):
    if attempt(request, lambda: close_review(cycle, closed_by=request.user),
               _("The cycle is closed. Open actions will carry into the service's next cycle.")):
        return redirect(cycle)
    return redirect("reviews:decision", cycle.pk)


# Every POST action of the decision page, by the name of its button: (the rule it needs, its handler).
DECISION_ACTIONS = {
    "recommend": ("recommend_outcome", _recommend),
    "ratify": ("ratify_recommendation", lambda *args: _vote(*args, returning=False)),
    "return": ("ratify_recommendation", lambda *args: _vote(*args, returning=True)),
    "close": ("close_cycle", _close),
}
