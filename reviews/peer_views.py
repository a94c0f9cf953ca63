"""Pages of the peer review: visit and team, reviewers' ratings, agreeing, findings and actions,
factual accuracy, the decision and feedback on the visit."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.models import User
from assurance.roles import roles_of
from assurance.views import require
from reviews import queries
from reviews.models import (
    AccuracyComment,
    ActionNote,
    AgreedRating,
    ConflictOfInterest,
    DecisionOutcome,
    Evidence,
    Finding,
    FindingKind,
    PeerRating,
    Perspective,
    SelfRating,
    TeamMember,
    TeamRole,
    TimetableItem,
)
from reviews.peer_forms import (
    AccuracyAnswerForm,
    AccuracyCommentForm,
    ActionForm,
    ActionUpdateForm,
    AgreeForm,
    ConflictForm,
    DecisionForm,
    FeedbackForm,
    FindingForm,
    PeerRatingsForm,
    TimetableItemForm,
    VisitForm,
)
from reviews.rules import team_place
from reviews.services import (
    ReviewError,
    acknowledge_urgent_concern,
    add_action,
    add_finding,
    add_team_member,
    add_timetable_item,
    agree_rating,
    answer_accuracy_comment,
    close_cycle,
    comment_on_accuracy,
    declare_conflict,
    finish_agreeing,
    give_feedback,
    plan_visit,
    record_decision,
    remove_team_member,
    remove_timetable_item,
    save_peer_ratings,
    send_draft_report,
    start_peer_review,
    submit_peer_ratings,
    unrated_criteria,
    update_action,
)
from reviews.views import cycle_or_404


def _pk(value):
    """A primary key sent by a form, or None when what was sent is not one (a tampered request)."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _attempt(request, action, success_message=None):
    """Runs a domain action; a broken rule becomes an error message instead of a crash."""
    try:
        result = action()
    except ReviewError as error:
        messages.error(request, str(error))
        return None
    if success_message:
        messages.success(request, success_message)
    return result or True


# --- the visit and its team -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_visit", request.user, cycle)
    may_manage = rules.test_rule("manage_visit", request.user, cycle)
    the_visit = getattr(cycle, "visit", None)
    visit_form = VisitForm(initial={
        "date": the_visit.date if the_visit else None,
        "notes": the_visit.notes if the_visit else "",
        "independent_ratings": cycle.independent_ratings,
    })
    item_form = TimetableItemForm()
    if request.method == "POST":
        if not may_manage:
            raise Http404
        response, visit_form, item_form = _manage_visit(request, cycle, visit_form, item_form)
        if response:
            return response
    context = {
        "cycle": cycle,
        "the_visit": the_visit,
        "timetable": the_visit.timetable.all() if the_visit else [],
        "team": queries.team_of(cycle),
        "may_manage": may_manage,
        "visit_form": visit_form,
        "item_form": item_form,
        "form": visit_form if visit_form.errors else item_form,
        "candidates": queries.eligible_reviewers(cycle) if may_manage else [],
        "may_start": may_manage and cycle.state == "self_assessment_submitted",
    }
    return render(request, "reviews/visit.html", context, status=400 if visit_form.errors or item_form.errors else 200)


def _manage_visit(request, cycle, visit_form, item_form):
    post = request.POST
    here = reverse("reviews:visit", args=[cycle.pk])
    if "save_visit" in post:
        visit_form = VisitForm(post)
        if visit_form.is_valid():
            data = visit_form.cleaned_data
            _attempt(request, lambda: plan_visit(cycle, date=data["date"], notes=data["notes"], planned_by=request.user,
                                                  independent_ratings=data["independent_ratings"]),
                     _("The visit plan is saved."))
            return redirect(here), visit_form, item_form
    elif "add_item" in post:
        item_form = TimetableItemForm(post)
        if item_form.is_valid():
            def add_item():
                # Through plan_visit, which makes the visit if need be and refuses once the ratings are agreed.
                the_visit = plan_visit(cycle, date=getattr(getattr(cycle, "visit", None), "date", None),
                                       notes=getattr(getattr(cycle, "visit", None), "notes", ""), planned_by=request.user)
                return add_timetable_item(the_visit, **item_form.cleaned_data)

            _attempt(request, add_item, _("Added to the timetable."))
            return redirect(here), visit_form, item_form
    elif "remove_item" in post:
        item = TimetableItem.objects.filter(pk=_pk(post.get("remove_item")), visit__cycle=cycle).select_related("visit").first()
        if item:
            _attempt(request, lambda: remove_timetable_item(item), _("Removed from the timetable."))
        return redirect(here), visit_form, item_form
    elif "add_member" in post:
        user = User.objects.filter(pk=_pk(post.get("user"))).first()
        place = post.get("place")
        if user is None or place not in TeamRole.values:
            messages.error(request, _("Choose a person and a place on the team."))
        else:
            _attempt(request, lambda: add_team_member(cycle, user=user, place=place, added_by=request.user),
                     _("%(person)s is on the team.") % {"person": user})
        return redirect(here), visit_form, item_form
    elif "remove_member" in post:
        member = TeamMember.objects.filter(pk=_pk(post.get("remove_member")), visit__cycle=cycle).select_related("user").first()
        if member:
            _attempt(request, lambda: remove_team_member(member, removed_by=request.user),
                     _("%(person)s is no longer on the team.") % {"person": member.user})
        return redirect(here), visit_form, item_form
    elif "start_review" in post:
        if _attempt(request, lambda: start_peer_review(cycle, started_by=request.user),
                    _("The peer review has started. The reviewers can now rate.")):
            return redirect(cycle), visit_form, item_form
        return redirect(here), visit_form, item_form
    return None, visit_form, item_form


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request):
    """A reviewer's declared conflicts of interest: services they will never be asked to review."""
    if not roles_of(request.user).is_reviewer:
        raise Http404
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(request, lambda: declare_conflict(user=request.user, **form.cleaned_data),
                    _("Your conflict of interest is recorded.")):
            return redirect("reviews:conflicts")
    declared = ConflictOfInterest.objects.filter(user=request.user).select_related("service").order_by("service__name")
    return render(request, "reviews/conflicts.html", {"form": form, "declared": declared})


# --- a reviewer's own ratings -----------------------------------------------------------------


def _my_place_or_404(request, cycle):
    place = team_place(request.user, cycle)
    if place is None:
        raise Http404
    return place


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    cycle = cycle_or_404(request.user, pk)
    place = _my_place_or_404(request, cycle)
    if request.method == "POST" and "submit" in request.POST:
        if _attempt(request, lambda: submit_peer_ratings(place),
                    _("Your ratings are submitted and locked. You can now see the other reviewers' ratings.")):
            return redirect("reviews:review", cycle.pk)
    ratings = {r.criterion_id: r for r in place.ratings.all()}
    criteria = list(cycle.edition.criteria.select_related("value").order_by("value__order", "order"))
    values = {}
    for criterion in criteria:
        entry = values.setdefault(criterion.value_id, {"value": criterion.value, "total": 0, "done": 0})
        entry["total"] += 1
        entry["done"] += bool(ratings.get(criterion.pk) and ratings[criterion.pk].is_answered)
    context = {
        "cycle": cycle,
        "place": place,
        "values": list(values.values()),
        "done": sum(v["done"] for v in values.values()),
        "total": len(criteria),
        "may_rate": rules.test_rule("rate", request.user, cycle),
        "missing": unrated_criteria(place) if not place.has_submitted else [],
        "may_see_grid": rules.test_rule("view_agreement", request.user, cycle),
    }
    return render(request, "reviews/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_value(request, pk, value_code):
    cycle = cycle_or_404(request.user, pk)
    place = _my_place_or_404(request, cycle)
    values = list(cycle.edition.values.order_by("order"))
    value = next((v for v in values if v.code == value_code), None)
    if value is None:
        raise Http404
    criteria = list(value.criteria.order_by("order"))
    levels = list(cycle.edition.levels.order_by("value"))
    ratings = {r.criterion_id: r for r in PeerRating.objects.filter(team_member=place, criterion__in=criteria)}
    may_rate = rules.test_rule("rate", request.user, cycle)
    form = PeerRatingsForm(request.POST or None, criteria=criteria, levels=levels, ratings=ratings)
    if request.method == "POST":
        if not may_rate:
            messages.error(request, _("Your ratings can no longer change."))
            return redirect("reviews:review", cycle.pk)
        if form.is_valid():
            result = _attempt(request, lambda: save_peer_ratings(place, form.answers()))
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
    return render(request, "reviews/review_value.html", context, status=400 if form.errors else 200)


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
    """Each criterion's row with the service's answers, evidence and, when allowed, the other
    reviewers' ratings. A fixed number of queries for the page."""
    # Only answers this person may read: the team reads them once the self-assessment is submitted.
    readable = [p for p in Perspective.values if rules.test_rule(f"read_answers:{p}", request.user, cycle)]
    self_ratings = {
        (r.criterion_id, r.perspective): r
        for r in SelfRating.objects.filter(cycle=cycle, criterion__in=criteria, perspective__in=readable)
        .select_related("level")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("title")))
    }
    others = {}
    if rules.test_rule("view_all_peer_ratings", request.user, cycle):
        for rating in queries.counted_peer_ratings(cycle).filter(criterion__in=criteria).exclude(
            team_member__user=request.user
        ).select_related("level", "team_member__user"):
            others.setdefault(rating.criterion_id, []).append(rating)
    rows = list(form.rows())
    for row in rows:
        row.staff = self_ratings.get((row.criterion.pk, Perspective.STAFF))
        row.member = self_ratings.get((row.criterion.pk, Perspective.MEMBERS))
        row.others = others.get(row.criterion.pk, [])
    return rows


# --- agreeing ratings -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    may_agree = rules.test_rule("agree_ratings", request.user, cycle)
    if request.method == "POST" and "finish" in request.POST:
        if not may_agree:
            raise Http404
        if _attempt(request, lambda: finish_agreeing(cycle, finished_by=request.user),
                    _("The ratings are agreed. Record the findings and actions, then send the draft report.")):
            return redirect(cycle)
    team = queries.team_of(cycle)
    rows = queries.agreement_grid(cycle, team)
    flagged_only = request.GET.get("flagged") == "1"
    shown = [row for row in rows if row.flags.any] if flagged_only else rows
    context = {
        "cycle": cycle,
        "team": team,
        "rows": shown,
        "total": len(rows),
        "flagged_count": sum(1 for row in rows if row.flags.any),
        "agreed_count": sum(1 for row in rows if row.agreed),
        "flagged_only": flagged_only,
        "may_agree": may_agree,
        "unsubmitted": [m for m in team if not m.has_submitted],
        "levels": cycle.edition.levels.order_by("value"),
    }
    return render(request, "reviews/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agree_criterion(request, pk, code):
    cycle = cycle_or_404(request.user, pk)
    require("view_agreement", request.user, cycle)
    may_agree = rules.test_rule("agree_ratings", request.user, cycle)
    team = queries.team_of(cycle)
    rows = queries.agreement_grid(cycle, team)
    row = next((r for r in rows if r.criterion.code == code), None)
    if row is None:
        raise Http404
    levels = list(cycle.edition.levels.order_by("value"))
    agreed = row.agreed
    initial = {"version": agreed.version if agreed else 0}
    if agreed:
        initial.update(level="na" if agreed.not_applicable else str(agreed.level_id), rationale=agreed.rationale)
    form = AgreeForm(request.POST or None, levels=levels, initial=initial)
    if request.method == "POST":
        if not may_agree:
            raise Http404
        if form.is_valid():
            try:
                agree_rating(
                    cycle, criterion=row.criterion, level=form.chosen_level, not_applicable=form.not_applicable,
                    rationale=form.cleaned_data["rationale"], agreed_by=request.user,
                    base_version=form.cleaned_data["version"],
                )
            except ReviewError as error:
                form.add_error("rationale" if "rationale" in str(error).lower() else None, str(error))
            else:
                messages.success(request, _("Agreed rating for %(code)s saved.") % {"code": code})
                return redirect(_next_to_agree(cycle, rows, row, request.POST.get("flagged") == "1"))
    context = {
        "cycle": cycle,
        "team": team,
        "row": row,
        "reviews_by_member": list(zip(team, row.reviews, strict=True)),
        "form": form,
        "may_agree": may_agree,
        "flagged_only": request.GET.get("flagged") == "1",
    }
    return render(request, "reviews/agree_criterion.html", context, status=400 if form.errors else 200)


def _next_to_agree(cycle, rows, current, flagged_only):
    """The next criterion still without an agreed rating (flagged ones only, if filtering)."""
    index = rows.index(current)
    for row in rows[index + 1:] + rows[:index]:
        if row.agreed is None and (row.flags.any or not flagged_only):
            suffix = "?flagged=1" if flagged_only else ""
            return reverse("reviews:agree-criterion", args=[cycle.pk, row.criterion.code]) + suffix
    return reverse("reviews:agreement", args=[cycle.pk]) + ("?flagged=1" if flagged_only else "")


# --- findings and actions ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def findings(request, pk):
    cycle = cycle_or_404(request.user, pk)
    sees_findings = rules.test_rule("view_findings", request.user, cycle)
    if not sees_findings:
        # Before the draft report, the service sees only the actions carried over from its last review.
        require("view_carried_actions", request.user, cycle)
    may_record = rules.test_rule("record_findings", request.user, cycle)
    criteria = list(cycle.edition.criteria.order_by("value__order", "order"))
    all_findings = list(cycle.findings.select_related("criterion", "created_by", "acknowledged_by")) if sees_findings else []
    finding_form = FindingForm(criteria=criteria, prefix="finding")
    action_form = ActionForm(findings=all_findings, criteria=criteria, prefix="action")
    post = request.POST
    if request.method == "POST":
        here = reverse("reviews:findings", args=[cycle.pk])
        if "add_finding" in post and may_record:
            finding_form = FindingForm(post, criteria=criteria, prefix="finding")
            if finding_form.is_valid():
                data = finding_form.cleaned_data
                if _attempt(request, lambda: add_finding(cycle, kind=data["kind"], text=data["text"],
                                                          criterion=finding_form.chosen_criterion, added_by=request.user),
                            _("Finding recorded.") if data["kind"] != FindingKind.URGENT
                            else _("Urgent concern recorded. The network administrators have been told.")):
                    return redirect(here)
        elif "add_action" in post and may_record:
            action_form = ActionForm(post, findings=all_findings, criteria=criteria, prefix="action")
            if action_form.is_valid():
                data = action_form.cleaned_data
                if _attempt(request, lambda: add_action(cycle, description=data["description"], owner=data["owner"],
                                                         due_date=data["due_date"], added_by=request.user,
                                                         **action_form.linked()),
                            _("Action added to the plan.")):
                    return redirect(here)
        elif "acknowledge" in post and rules.test_rule("view_network", request.user):
            finding = get_object_or_404(Finding, pk=_pk(post.get("acknowledge")), cycle=cycle)
            _attempt(request, lambda: acknowledge_urgent_concern(finding, acknowledged_by=request.user),
                     _("Urgent concern acknowledged."))
            return redirect(here)
        elif "send_draft" in post and rules.test_rule("send_draft_report", request.user, cycle):
            if _attempt(request, lambda: send_draft_report(cycle, sent_by=request.user),
                        _("The draft report has gone to the service for comments on factual accuracy.")):
                return redirect(cycle)
            return redirect(here)
        else:
            raise Http404
    context = {
        "cycle": cycle,
        "findings_by_kind": [(kind, label, [f for f in all_findings if f.kind == kind]) for kind, label in FindingKind.choices],
        "actions": _visible_actions(cycle, sees_findings),
        "sees_findings": sees_findings,
        "today": timezone.localdate(),
        "may_record": may_record,
        "may_send_draft": rules.test_rule("send_draft_report", request.user, cycle) and cycle.state == "ratings_agreed",
        "may_acknowledge": rules.test_rule("view_network", request.user),
        "finding_form": finding_form,
        "action_form": action_form,
        "form": finding_form if finding_form.errors else action_form,
    }
    return render(request, "reviews/findings.html", context, status=400 if finding_form.errors or action_form.errors else 200)


def _visible_actions(cycle, sees_findings):
    actions = cycle.actions.select_related("criterion", "finding", "carried_from__cycle").order_by("due_date", "pk")
    return actions if sees_findings else actions.filter(carried_from__isnull=False)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk, action_pk):
    cycle = cycle_or_404(request.user, pk)
    sees_findings = rules.test_rule("view_findings", request.user, cycle)
    if not sees_findings:
        require("view_carried_actions", request.user, cycle)
    action = get_object_or_404(_visible_actions(cycle, sees_findings), pk=action_pk)
    may_update = rules.test_rule("update_actions", request.user, cycle)
    may_verify = rules.test_rule("verify_actions", request.user, cycle)
    form = ActionUpdateForm(request.POST or None, may_verify=may_verify, initial={"status": action.status})
    if request.method == "POST":
        if not may_update:
            raise Http404
        if form.is_valid():
            try:
                update_action(action, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                              updated_by=request.user, may_verify=may_verify)
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Progress recorded."))
                return redirect("reviews:action", cycle.pk, action.pk)
    context = {
        "cycle": cycle,
        "action": action,
        "notes": ActionNote.objects.filter(action=action).select_related("by"),
        "form": form,
        "may_update": may_update,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/action.html", context, status=400 if form.errors else 200)


# --- factual accuracy, decision, feedback -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def accuracy(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_accuracy_comments", request.user, cycle)
    criteria = list(cycle.edition.criteria.order_by("value__order", "order"))
    all_findings = list(cycle.findings.all())
    may_comment = rules.test_rule("comment_on_accuracy", request.user, cycle)
    may_answer = rules.test_rule("answer_accuracy_comments", request.user, cycle)
    form = AccuracyCommentForm(criteria=criteria, findings=all_findings)
    answer_forms = {}
    if request.method == "POST":
        here = reverse("reviews:accuracy", args=[cycle.pk])
        if "add_comment" in request.POST and may_comment:
            form = AccuracyCommentForm(request.POST, criteria=criteria, findings=all_findings)
            if form.is_valid():
                if _attempt(request, lambda: comment_on_accuracy(cycle, text=form.cleaned_data["text"], by=request.user,
                                                                  **form.target()),
                            _("Your comment is recorded. The lead reviewer will answer it.")):
                    return redirect(here)
        elif "answer" in request.POST and may_answer:
            comment = get_object_or_404(AccuracyComment, pk=_pk(request.POST.get("answer")), cycle=cycle)
            answer_form = AccuracyAnswerForm(request.POST, prefix=f"answer-{comment.pk}")
            if answer_form.is_valid():
                if _attempt(request, lambda: answer_accuracy_comment(comment, response=answer_form.cleaned_data["response"],
                                                                      by=request.user), _("Answer recorded.")):
                    return redirect(here)
            answer_forms[comment.pk] = answer_form
        else:
            raise Http404
    comments = list(cycle.accuracy_comments.select_related("criterion", "finding", "by", "responded_by"))
    for comment in comments:
        comment.answer_form = answer_forms.get(comment.pk) or AccuracyAnswerForm(prefix=f"answer-{comment.pk}")
    agreed = AgreedRating.objects.filter(cycle=cycle).select_related("criterion__value", "level").order_by(
        "criterion__value__order", "criterion__order"
    )
    context = {
        "cycle": cycle,
        "comments": comments,
        "agreed": agreed,
        "findings": all_findings,
        "form": form,
        "may_comment": may_comment,
        "may_answer": may_answer,
    }
    return render(request, "reviews/accuracy.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_decision", request.user, cycle)
    may_record = rules.test_rule("record_decision", request.user, cycle)
    computed = queries.decision_for(cycle)
    initial = {"outcome": DecisionOutcome.AWARDED if computed.recommended else DecisionOutcome.DEFERRED}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "close" in request.POST and rules.test_rule("close_cycle", request.user, cycle):
            if _attempt(request, lambda: close_cycle(cycle, closed_by=request.user),
                        _("The cycle is closed. Open actions will carry into the service's next cycle.")):
                return redirect(cycle)
            return redirect("reviews:decision", cycle.pk)
        if not may_record:
            raise Http404
        if form.is_valid():
            try:
                record_decision(cycle, recorded_by=request.user, **form.cleaned_data)
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The decision is recorded and the report is final."))
                return redirect(cycle)
    context = {
        "cycle": cycle,
        "computed": computed,
        "recorded": getattr(cycle, "decision", None),
        "form": form,
        "may_record": may_record,
        "may_close": rules.test_rule("close_cycle", request.user, cycle),
        "unanswered": cycle.accuracy_comments.filter(responded_at__isnull=True).count(),
        # The one page where everyone who may see the agreed ratings (members and commissioners too) finds them.
        "agreed": AgreedRating.objects.filter(cycle=cycle).select_related("criterion", "level").order_by(
            "criterion__value__order", "criterion__order"
        ) if rules.test_rule("view_agreed_ratings", request.user, cycle) else [],
    }
    return render(request, "reviews/decision.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    cycle = cycle_or_404(request.user, pk)
    may_give = rules.test_rule("give_feedback", request.user, cycle)
    may_read = rules.test_rule("read_feedback", request.user, cycle)
    if not (may_give or may_read):
        raise Http404
    mine = cycle.feedback.filter(given_by=request.user).first()
    initial = {}
    if mine:
        initial = {f: getattr(mine, f) for f in ("visit_rating", "team_rating", "went_well", "could_improve")}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_give:
            raise Http404
        if form.is_valid():
            if _attempt(request, lambda: give_feedback(cycle, given_by=request.user, **form.cleaned_data),
                        _("Thank you. Your feedback goes to the network administrators.")):
                return redirect(cycle)
    context = {
        "cycle": cycle,
        "form": form,
        "may_give": may_give,
        "all_feedback": cycle.feedback.select_related("given_by") if may_read else None,
        "team": queries.team_of(cycle),
    }
    return render(request, "reviews/feedback.html", context, status=400 if form.errors else 200)
