"""Agreeing ratings: the grid of every view side by side (agreement), and recording one
criterion's agreed rating (agree_criterion)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error
from reviews.peer import queries
from reviews.peer.forms import AgreeForm
from reviews.peer.services import agree_rating, finish_agreeing


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    if request.method == "POST":  # the page's one action: the ratings are agreed
        require("agree_ratings", request.user, cycle)
        if attempt(request, lambda: finish_agreeing(cycle, finished_by=request.user),
                   _("The ratings are agreed. Record the findings and actions, then send the draft report.")):
            return redirect(cycle)
    team = queries.team_of(cycle)
    disclosed = disclosure(request.user, cycle)
    rows = queries.agreement_grid(cycle, team, disclosed)
    flagged_only = request.GET.get("flagged") == "1"
    context = {
        "cycle": cycle,
        "disclosed": disclosed,
        "team": team,
        "rows": [row for row in rows if row.flags.any] if flagged_only else rows,
        "total": len(rows),
        "flagged_count": sum(1 for row in rows if row.flags.any),
        "agreed_count": sum(1 for row in rows if row.agreed),
        "flagged_only": flagged_only,
        "may_agree": rules.test_rule("agree_ratings", request.user, cycle),
        "unsubmitted": [m for m in team if not m.has_submitted],
        "levels": cycle.edition.rating_levels,
    }
    return render(request, "peer/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agree_criterion(request, pk, code):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    team = queries.team_of(cycle)
    disclosed = disclosure(request.user, cycle)
    rows = queries.agreement_grid(cycle, team, disclosed)
    row = next((r for r in rows if r.criterion.code == code), None)
    if row is None:
        raise Http404
    form = AgreeForm(request.POST or None, levels=cycle.edition.rating_levels, initial=_agreed_initial(row.agreed))
    if request.method == "POST":
        require("agree_ratings", request.user, cycle)
        if form.is_valid():
            try:
                agree_rating(
                    cycle, criterion=row.criterion, level=form.chosen_level, not_applicable=form.not_applicable,
                    rationale=form.cleaned_data["rationale"], agreed_by=request.user,
                    base_version=form.cleaned_data["version"],
                )
            except ReviewError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Agreed rating for %(code)s saved.") % {"code": code})
                return redirect(_next_to_agree(cycle, rows, row, request.POST.get("flagged") == "1"))
    context = {
        "cycle": cycle,
        "team": team,
        "row": row,
        "disclosed": disclosed,
        "reviews_by_member": list(zip(team, row.reviews, strict=True)),
        "form": form,
        "may_agree": rules.test_rule("agree_ratings", request.user, cycle),
        "flagged_only": request.GET.get("flagged") == "1",
    }
    return render(request, "peer/agree_criterion.html", context, status=400 if form.errors else 200)


def _agreed_initial(agreed):
    if agreed is None:
        return {"version": 0}
    level = "na" if agreed.not_applicable else str(agreed.level_id)
    return {"version": agreed.version, "level": level, "rationale": agreed.rationale}


def _next_to_agree(cycle, rows, current, flagged_only):
    """The next criterion still without an agreed rating (flagged ones only, if filtering)."""
    index = rows.index(current)
    suffix = "?flagged=1" if flagged_only else ""
    for row in rows[index + 1:] + rows[:index]:
        if row.agreed is None and (row.flags.any or not flagged_only):
            return reverse("reviews:agree-criterion", args=[cycle.pk, row.criterion.code]) + suffix
    return reverse("reviews:agreement", args=[cycle.pk]) + suffix
