"""The end of a review: comments on factual accuracy (accuracy), the decision and closing
(decision), and the service's feedback on the visit (feedback)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.peer import queries
from reviews.peer.forms import AccuracyAnswerForm, AccuracyCommentForm, DecisionForm, FeedbackForm
from reviews.peer.models import DecisionOutcome
from reviews.peer.services import (
    answer_accuracy_comment,
    close_cycle,
    comment_on_accuracy,
    give_feedback,
    record_decision,
)


@login_required
@require_http_methods(["GET", "POST"])
def accuracy(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_accuracy_comments", request.user, cycle)
    disclosed = disclosure(request.user, cycle)
    criteria = list(cycle.edition.criteria.order_by("value__order", "order"))
    all_findings = queries.disclosed_findings(cycle, disclosed)
    forms = {"comment": AccuracyCommentForm(criteria=criteria, findings=all_findings), "answers": {}}
    if request.method == "POST":
        rule, handler = posted_action(request, ACCURACY_ACTIONS)
        require(rule, request.user, cycle)
        if handler(request, cycle, forms, criteria, all_findings):
            return redirect("reviews:accuracy", cycle.pk)
    comments = queries.accuracy_comments_of(cycle)
    for comment in comments:
        comment.answer_form = forms["answers"].get(comment.pk) or AccuracyAnswerForm(prefix=f"answer-{comment.pk}")
    context = {
        "cycle": cycle,
        "comments": comments,
        "agreed": queries.agreed_ratings_of(cycle) if Fact.AGREED_RATINGS in disclosed else [],
        "findings": all_findings,
        "form": forms["comment"],
        "may_comment": rules.test_rule("comment_on_accuracy", request.user, cycle),
        "may_answer": rules.test_rule("answer_accuracy_comments", request.user, cycle),
    }
    return render(request, "peer/accuracy.html", context, status=400 if forms["comment"].errors else 200)


def _add_comment(request, cycle, forms, criteria, all_findings):
    form = forms["comment"] = AccuracyCommentForm(request.POST, criteria=criteria, findings=all_findings)
    return form.is_valid() and attempt(
        request, lambda: comment_on_accuracy(cycle, text=form.cleaned_data["text"], by=request.user, **form.target()),
        _("Your comment is recorded. The lead reviewer will answer it."))


def _answer_comment(request, cycle, forms, criteria, all_findings):
    comment = get_object_or_404(queries.accuracy_comments_of(cycle, as_queryset=True),
                                pk=posted_pk(request.POST.get("answer")))
    form = forms["answers"][comment.pk] = AccuracyAnswerForm(request.POST, prefix=f"answer-{comment.pk}")
    return form.is_valid() and attempt(
        request, lambda: answer_accuracy_comment(comment, response=form.cleaned_data["response"], by=request.user),
        _("Answer recorded."))


# Every POST action of the accuracy page, by the name of its button: (the rule it needs, its handler).
ACCURACY_ACTIONS = {
    "add_comment": ("comment_on_accuracy", _add_comment),
    "answer": ("answer_accuracy_comments", _answer_comment),
}


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_decision", request.user, cycle)
    disclosed = disclosure(request.user, cycle)
    computed = queries.decision_for(cycle) if Fact.AGREED_RATINGS in disclosed else None
    initial = {"outcome": DecisionOutcome.AWARDED if computed and computed.recommended else DecisionOutcome.DEFERRED}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and "close" in request.POST and rules.test_rule("close_cycle", request.user, cycle):
        if attempt(request, lambda: close_cycle(cycle, closed_by=request.user),
                   _("The cycle is closed. Open actions will carry into the service's next cycle.")):
            return redirect(cycle)
        return redirect("reviews:decision", cycle.pk)
    if request.method == "POST":
        require("record_decision", request.user, cycle)
        if form.is_valid():
            try:
                record_decision(cycle, recorded_by=request.user, **form.cleaned_data)
            except ReviewError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The decision is recorded and the report is final."))
                return redirect(cycle)
    context = {
        "cycle": cycle,
        "computed": computed,
        "recorded": getattr(cycle, "decision", None) if Fact.DECISION in disclosed else None,
        "form": form,
        "may_record": rules.test_rule("record_decision", request.user, cycle),
        "may_close": rules.test_rule("close_cycle", request.user, cycle),
        "unanswered": queries.unanswered_comments(cycle).count(),
        # The one page where everyone who may see the agreed ratings (members and commissioners too) finds them.
        "agreed": queries.agreed_ratings_of(cycle) if Fact.AGREED_RATINGS in disclosed else [],
    }
    return render(request, "peer/decision.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    cycle = cycle_or_404(request.user, pk)
    may_give = rules.test_rule("give_feedback", request.user, cycle)
    may_read = rules.test_rule("read_feedback", request.user, cycle)
    if not (may_give or may_read):
        raise Http404
    mine = queries.feedback_on(cycle).filter(given_by=request.user).first()
    fields = ("visit_rating", "team_rating", "went_well", "could_improve")
    form = FeedbackForm(request.POST or None, initial={f: getattr(mine, f) for f in fields} if mine else {})
    if request.method == "POST":
        require("give_feedback", request.user, cycle)
        if form.is_valid() and attempt(request, lambda: give_feedback(cycle, given_by=request.user, **form.cleaned_data),
                                       _("Thank you. Your feedback goes to the network administrators.")):
            return redirect(cycle)
    context = {
        "cycle": cycle,
        "form": form,
        "may_give": may_give,
        "all_feedback": queries.feedback_on(cycle) if may_read else None,
        "team": queries.team_of(cycle),
    }
    return render(request, "peer/feedback.html", context, status=400 if form.errors else 200)
