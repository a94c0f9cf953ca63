"""The end of a review: the service's feedback on the visit. Comments on factual accuracy are in
accuracy.py; the decision and closing in reviews/decisions/views/deciding.py."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.pages import attempt
from reviews.peer import queries
from reviews.peer.forms import FeedbackForm
from reviews.peer.services import give_feedback


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
