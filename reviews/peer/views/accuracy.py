"""Factual accuracy of the draft report: the service comments on an agreed rating or a finding,
the lead reviewer answers each comment and may change what it is about; the changes are listed."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.peer import queries
from reviews.peer.accuracy_forms import AccuracyAnswerForm, AccuracyCommentForm
from reviews.peer.services import answer_accuracy_comment, comment_on_accuracy


@login_required
@require_http_methods(["GET", "POST"])
def accuracy(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_accuracy_comments", request.user, cycle)
    disclosed = disclosure(request.user, cycle)
    criteria = list(cycle.edition.criteria.order_by("value__order", "order"))
    all_findings = queries.disclosed_findings(cycle, disclosed)
    agreed = list(queries.agreed_ratings_of(cycle)) if Fact.AGREED_RATINGS in disclosed else []
    page = {"cycle": cycle, "agreed": {a.criterion_id: a for a in agreed}, "levels": cycle.edition.rating_levels}
    forms = {"comment": AccuracyCommentForm(criteria=criteria, findings=all_findings), "answers": {}}
    if request.method == "POST":
        rule, handler = posted_action(request, ACCURACY_ACTIONS)
        require(rule, request.user, cycle)
        if handler(request, page, forms, criteria, all_findings):
            return redirect("reviews:accuracy", cycle.pk)
    comments = queries.accuracy_comments_of(cycle)
    changes = queries.changes_of(cycle, disclosed)
    made = {change.accuracy_comment_id: change for change in changes}
    for comment in comments:
        comment.answer_form = forms["answers"].get(comment.pk) or _answer_form(page, comment)
        comment.change_made = made.get(comment.pk)
    context = {
        "cycle": cycle,
        "comments": comments,
        "agreed": agreed,
        "findings": all_findings,
        "changes": changes,
        "form": forms["comment"],
        "may_comment": rules.test_rule("comment_on_accuracy", request.user, cycle),
        "may_answer": rules.test_rule("answer_accuracy_comments", request.user, cycle),
    }
    invalid = forms["comment"].errors or any(form.errors for form in forms["answers"].values())
    return render(request, "peer/accuracy.html", context, status=400 if invalid else 200)


def _answer_form(page, comment, data=None):
    return AccuracyAnswerForm(data, prefix=f"answer-{comment.pk}", comment=comment,
                              agreed=page["agreed"].get(comment.criterion_id), levels=page["levels"])


def _add_comment(request, page, forms, criteria, all_findings):
    form = forms["comment"] = AccuracyCommentForm(request.POST, criteria=criteria, findings=all_findings)
    return form.is_valid() and attempt(
        request, lambda: comment_on_accuracy(page["cycle"], text=form.cleaned_data["text"], by=request.user,
                                             **form.target()),
        _("Your comment is recorded. The lead reviewer will answer it."))


def _answer_comment(request, page, forms, criteria, all_findings):
    comment = get_object_or_404(queries.accuracy_comments_of(page["cycle"], as_queryset=True),
                                pk=posted_pk(request.POST.get("answer")))
    form = forms["answers"][comment.pk] = _answer_form(page, comment, request.POST)
    if not form.is_valid():
        return False
    change = form.correction()
    try:
        answer_accuracy_comment(comment, response=form.cleaned_data["response"], by=request.user, change=change,
                                seen_response=form.cleaned_data["seen_response"])
    except ReviewError as error:
        form_error(form, ReviewError(error.message, field=ANSWER_FIELDS.get(error.field, error.field)))
        return False
    if change is None:
        message = _("Answer recorded.")
    elif comment.criterion_id:
        message = _("Answer recorded, and the agreed rating of %(code)s changed.") % {"code": comment.criterion.code}
    else:
        message = _("Answer recorded, and the finding changed.")
    messages.success(request, message)
    return True


# The fields of the answer form that the services' errors belong to.
ANSWER_FIELDS = {"level": "rating", "reason": "response"}


# Every POST action of the accuracy page, by the name of its button: (the rule it needs, its handler).
ACCURACY_ACTIONS = {
    "add_comment": ("comment_on_accuracy", _add_comment),
    "answer": ("answer_accuracy_comments", _answer_comment),
}
