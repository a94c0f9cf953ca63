"""Agreeing ratings: the grid of every view side by side (agreement), recording the agreed
ratings of one value's criteria on one page (agree_value), and of one criterion (agree_criterion)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.disclosure import disclosure
from reviews.errors import ReviewError
from reviews.pages import attempt, form_error
from reviews.peer import queries
from reviews.peer.forms import AgreeForm, AgreeValueForm
from reviews.peer.services import agree_rating, agree_value, finish_agreeing


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
        "values": _values_of(rows),
    }
    return render(request, "peer/agreement.html", context)


def _values_of(rows):
    """The edition's values in order, each with its number of criteria agreed and in all."""
    values = {}
    for row in rows:
        entry = values.setdefault(row.criterion.value_id, {"value": row.criterion.value, "agreed": 0, "total": 0})
        entry["total"] += 1
        entry["agreed"] += row.agreed is not None
    return list(values.values())


@login_required
@require_http_methods(["GET", "POST"])
def agree_value_page(request, pk, value_code):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    values = list(cycle.edition.values.order_by("order"))
    value = next((v for v in values if v.code == value_code), None)
    if value is None:
        raise Http404
    team, disclosed, levels = queries.team_of(cycle), disclosure(request.user, cycle), cycle.edition.rating_levels

    def form_for(data):
        rows = [row for row in queries.agreement_grid(cycle, team, disclosed) if row.criterion.value_id == value.pk]
        return AgreeValueForm(data, rows=rows, levels=levels, team=team)

    form, saved = form_for(request.POST or None), []
    if request.method == "POST":
        require("agree_ratings", request.user, cycle)
        form.is_valid()
        if not form.non_field_errors():
            result = agree_value(cycle, answers=form.answers(), agreed_by=request.user)
            if not result.errors and not form.errors:
                _say_saved(request, value, result.saved)
                return redirect(_after_agreeing(request, cycle, values, value))
            saved = [agreed.criterion.code for agreed in result.saved]
            form = form_for(_with_versions(request.POST, result.saved))
            form.is_valid()
            for criterion_id, error in result.errors.items():
                form.add_error(f"c{criterion_id}_{error.field or 'level'}", error.message)
    context = {
        "cycle": cycle,
        "value": value,
        "values": values,
        "position": values.index(value) + 1,
        "next_value": _following(values, value),
        "disclosed": disclosed,
        "form": form,
        "rows": list(form.rows()),
        "saved": saved,
        "levels": cycle.edition.rating_levels,
        "may_agree": rules.test_rule("agree_ratings", request.user, cycle),
    }
    return render(request, "peer/agree_value.html", context, status=400 if form.errors else 200)


def _following(values, value):
    index = values.index(value)
    return values[index + 1] if index + 1 < len(values) else None


def _with_versions(posted, saved):
    """What was posted, with the versions now stored for the ratings just saved, so that saving
    the page again (after fixing the others) does not take them for stale."""
    data = posted.copy()
    for agreed in saved:
        data[f"c{agreed.criterion_id}_version"] = str(agreed.version)
    return data


def _say_saved(request, value, saved):
    if saved:
        messages.success(request, ngettext(
            "%(count)d agreed rating of %(value)s saved.", "%(count)d agreed ratings of %(value)s saved.", len(saved),
        ) % {"count": len(saved), "value": value.name})


def _after_agreeing(request, cycle, values, value):
    following = _following(values, value)
    if "finish" in request.POST:
        finished = attempt(request, lambda: finish_agreeing(cycle, finished_by=request.user),
                           _("The ratings are agreed. Record the findings and actions, then send the draft report."))
        return cycle.get_absolute_url() if finished else reverse("reviews:agreement", args=[cycle.pk])
    if "save_and_next" in request.POST:
        if following:
            return reverse("reviews:agree-value", args=[cycle.pk, following.code])
        return reverse("reviews:agreement", args=[cycle.pk])
    return reverse("reviews:agree-value", args=[cycle.pk, value.code])


@login_required
@require_http_methods(["GET", "POST"])
def agree_criterion(request, pk, code):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    team = queries.team_of(cycle)
    disclosed = disclosure(request.user, cycle)
    row = next(iter(queries.agreement_grid(cycle, team, disclosed, code=code)), None)
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
                return redirect(_next_to_agree(cycle, team, disclosed, row, request.POST.get("flagged") == "1"))
    context = {
        "cycle": cycle,
        "team": team,
        "row": row,
        "disclosed": disclosed,
        "reviews_by_member": list(zip(team, row.reviews, strict=True)),
        "form": form,
        "may_agree": rules.test_rule("agree_ratings", request.user, cycle),
        "flagged_only": request.GET.get("flagged") == "1",
        "levels": cycle.edition.rating_levels,
    }
    return render(request, "peer/agree_criterion.html", context, status=400 if form.errors else 200)


def _agreed_initial(agreed):
    if agreed is None:
        return {"version": 0}
    level = "na" if agreed.not_applicable else str(agreed.level_id)
    return {"version": agreed.version, "level": level, "rationale": agreed.rationale}


def _next_to_agree(cycle, team, disclosed, current, flagged_only):
    """The next criterion still without an agreed rating (flagged ones only, if filtering). The
    whole grid is read only for its flags."""
    codes = queries.criterion_codes(cycle.edition_id)
    if flagged_only:
        rows = queries.agreement_grid(cycle, team, disclosed)
        waiting = {row.criterion.code for row in rows if row.agreed is None and row.flags.any}
    else:
        waiting = set(codes) - queries.agreed_codes(cycle, disclosed)
    index = codes.index(current.criterion.code)
    suffix = "?flagged=1" if flagged_only else ""
    for code in codes[index + 1:] + codes[:index]:
        if code in waiting:
            return reverse("reviews:agree-criterion", args=[cycle.pk, code]) + suffix
    return reverse("reviews:agreement", args=[cycle.pk]) + suffix
