"""A signed-in member answering the questionnaire of their service's cycle."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reviews.cycles.access import cycle_or_404
from reviews.cycles.rules import is_member_of_cycle_service
from reviews.members.services import answer_as_member, has_answered
from reviews.members.views import journey as steps


def _journey(request, pk):
    """The member's journey, or a page to show instead (already answered, not open now)."""
    cycle = cycle_or_404(request.user, pk)
    if not rules.test_rule("answer_questionnaire", request.user, cycle):
        if not is_member_of_cycle_service.test(request.user, cycle):
            raise Http404
        journey = _make(request, cycle)
        return journey, steps.message_page(journey, _("The questionnaire is not open now"), _(
            "You cannot answer it at the moment. Thank you for wanting to help."
        ))
    journey = _make(request, cycle)
    if has_answered(cycle, request.user):
        return journey, steps.already_answered(journey)
    return journey, None


def _make(request, cycle):
    return steps.Journey(
        request=request,
        cycle=cycle,
        scope=f"cycle-{cycle.pk}",
        start_url=reverse("reviews:questionnaire", args=[cycle.pk]),
        check_url=reverse("reviews:questionnaire-check", args=[cycle.pk]),
        thanks_url=reverse("reviews:questionnaire-thanks", args=[cycle.pk]),
        page_url=lambda number: reverse("reviews:questionnaire-page", args=[cycle.pk, number]),
        send=lambda answers, anything_else: answer_as_member(cycle, request.user, answers, anything_else),
    )


@login_required
def start(request, pk):
    journey, instead = _journey(request, pk)
    return instead or steps.start_page(journey)


@login_required
@require_http_methods(["GET", "POST"])
def page(request, pk, number):
    journey, instead = _journey(request, pk)
    return instead or steps.question_page(journey, number)


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk):
    journey, instead = _journey(request, pk)
    return instead or steps.check_page(journey)


@login_required
def thanks(request, pk):
    cycle = cycle_or_404(request.user, pk)
    if not is_member_of_cycle_service.test(request.user, cycle):
        raise Http404
    return _make(request, cycle).render("members/questionnaire_thanks.html")
