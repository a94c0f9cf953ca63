"""A reviewer's own ratings: their progress and submitting (review), rating one value's
criteria beside the service's answers (review_value), and typing in every rating at once from the
paper visit pack (review_quick)."""

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
from reviews.cycles.rules import team_place
from reviews.members.queries import cycle_members_voices
from reviews.pages import attempt
from reviews.peer import queries
from reviews.peer.forms import PeerRatingsForm
from reviews.peer.quick_forms import QuickRatingsForm
from reviews.peer.services import save_peer_ratings, submit_peer_ratings, unrated_criteria
from reviews.selfassessment.models import Perspective


def _my_place(request, cycle):
    require("view_own_ratings", request.user, cycle)
    return team_place(request.user, cycle)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    cycle = cycle_or_404(request.user, pk)
    place = _my_place(request, cycle)
    if request.method == "POST":  # the page's one action: submitting the ratings
        if attempt(request, lambda: submit_peer_ratings(place),
                   _("Your ratings are submitted and locked. You can now see the other reviewers' ratings.")):
            return redirect("reviews:review", cycle.pk)
    progress = queries.rating_progress(place)
    context = {
        "cycle": cycle,
        "place": place,
        "values": progress,
        "done": sum(v["done"] for v in progress),
        "total": sum(v["total"] for v in progress),
        "may_rate": rules.test_rule("rate", request.user, cycle),
        "missing": unrated_criteria(place) if not place.has_submitted else [],
        "may_see_grid": rules.test_rule("view_agreement", request.user, cycle),
        "may_print_pack": rules.test_rule("print_visit_pack", request.user, cycle),
    }
    return render(request, "peer/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_value(request, pk, value_code):
    cycle = cycle_or_404(request.user, pk)
    place = _my_place(request, cycle)
    values = list(cycle.edition.values.order_by("order"))
    value = next((v for v in values if v.code == value_code), None)
    if value is None:
        raise Http404
    criteria = list(value.criteria.order_by("order"))
    may_rate = rules.test_rule("rate", request.user, cycle)
    form = PeerRatingsForm(request.POST or None, criteria=criteria, levels=cycle.edition.rating_levels,
                           ratings=queries.own_ratings(place, criteria))
    if request.method == "POST":
        if not may_rate:
            messages.error(request, _("Your ratings can no longer change."))
            return redirect("reviews:review", cycle.pk)
        if form.is_valid():
            result = attempt(request, lambda: save_peer_ratings(place, form.answers()))
            if result and result.conflicts:
                messages.warning(request, _("Some ratings were changed elsewhere (another tab or device) meanwhile; "
                                            "they are shown as saved there. Check them and save again."))
                return redirect("reviews:review-value", cycle.pk, value.code)
            if result:
                return redirect(_after_rating(request, cycle, values, value))
    context = {
        "cycle": cycle,
        "place": place,
        "value": value,
        "form": form,
        "rows": _rows_with_answers(request, cycle, form, criteria),
        "may_rate": may_rate,
        "next_value": _next(values, value),
    }
    return render(request, "peer/review_value.html", context, status=400 if form.errors else 200)


def _next(values, value):
    index = values.index(value)
    return values[index + 1] if index + 1 < len(values) else None


def _after_rating(request, cycle, values, value):
    following = _next(values, value)
    if "save_and_next" in request.POST and following:
        return reverse("reviews:review-value", args=[cycle.pk, following.code])
    if "save_and_next" in request.POST:
        messages.success(request, _("Saved. That was the last value: check and submit your ratings."))
        return reverse("reviews:review", args=[cycle.pk])
    messages.success(request, _("Saved."))
    return reverse("reviews:review-value", args=[cycle.pk, value.code])


def _rows_with_answers(request, cycle, form, criteria):
    """Each criterion's row with the service's answers and evidence (as far as this person may
    read them) and, when allowed, the other reviewers' ratings."""
    user = request.user
    readable = [Perspective.STAFF] if rules.test_rule(f"read_answers:{Perspective.STAFF}", user, cycle) else []
    answers = queries.self_answers(cycle, criteria, readable)
    voices = cycle_members_voices(cycle, criteria) if rules.test_rule("view_member_counts", user, cycle) else None
    others = queries.others_ratings(cycle, criteria, user) if rules.test_rule("view_all_peer_ratings", user, cycle) else {}
    rows = list(form.rows())
    for row in rows:
        row.staff = answers.get((row.criterion.pk, Perspective.STAFF))
        row.members_shown = voices is not None
        row.member = voices.get(row.criterion.pk) if voices is not None else None
        row.others = others.get(row.criterion.pk, [])
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def review_quick(request, pk):
    """Every criterion on one page, to type in the ratings circled on paper. The rows that are
    right are saved; a row with an error keeps what was typed, and a row changed elsewhere
    meanwhile is shown as saved there, never overwritten."""
    cycle = cycle_or_404(request.user, pk)
    place = _my_place(request, cycle)
    if not rules.test_rule("rate", request.user, cycle):
        messages.info(request, _("Ratings are typed in during the visit, until you submit them: yours can no "
                                 "longer change."))
        return redirect("reviews:review", cycle.pk)
    criteria = list(cycle.edition.criteria.select_related("value").order_by("value__order", "order"))
    levels = cycle.edition.rating_levels
    form = QuickRatingsForm(request.POST or None, criteria=criteria, levels=levels,
                            ratings=queries.own_ratings(place, criteria))
    if request.method == "POST" and not form.is_valid() and len(form.rows_in_error()) == len(criteria):
        return render(request, "peer/review_quick.html", {"cycle": cycle, "form": form}, status=400)
    if request.method == "POST":
        result = attempt(request, lambda: save_peer_ratings(place, form.valid_answers()))
        if result and not form.errors and not result.conflicts:
            messages.success(request, _("Your ratings are saved. Check them, then submit them."))
            return redirect("reviews:review", cycle.pk)
        if result:
            form = _after_saving(request.POST, form, result, place, criteria, levels)
    return render(request, "peer/review_quick.html", {"cycle": cycle, "form": form},
                  status=400 if form.errors else 200)


def _after_saving(posted, form, result, place, criteria, levels):
    """The page again after a partial save: saved rows with their new versions, rows in error as
    typed, and rows changed elsewhere as they are now stored, each with its message."""
    data = posted.copy()
    for criterion_id, version in result.versions.items():
        data[f"c{criterion_id}_version"] = str(version)
    stored = QuickRatingsForm(criteria=criteria, levels=levels, ratings=queries.own_ratings(place, criteria)).initial
    for criterion_id in result.conflicts:
        for part in ("level", "abstain_reason", "comment", "version"):
            name = f"c{criterion_id}_{part}"
            data[name] = str(stored.get(name, ""))
    again = QuickRatingsForm(data, criteria=criteria, levels=levels, ratings={})
    again.is_valid()
    codes = {criterion.pk: criterion.code for criterion in criteria}
    for criterion_id in result.conflicts:
        again.row_error(criterion_id, _("%(code)s was changed elsewhere (another tab or device) meanwhile, so "
                                        "yours was not saved: it is shown as saved there. Check it and save again.")
                        % {"code": codes[criterion_id]})
    return again
