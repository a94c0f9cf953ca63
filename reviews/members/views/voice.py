"""The members' voice page: how many members answered and how, the counts per question, what
members wrote, the quotes proposed for the report; and, for those who run the questionnaire, its
sessions. Each part is shown only as the disclosure policy allows."""

from dataclasses import dataclass

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.cycles.rules import is_member_of_cycle_service, works_in_cycle_service
from reviews.disclosure import Fact, disclosure
from reviews.errors import ReviewError
from reviews.members import queries
from reviews.members.queries import MembersVoice
from reviews.members.running_forms import QuoteForm
from reviews.members.services import agree_member_quote, decline_member_quote, propose_member_quote
from reviews.members.views.running import RUNNING_ACTIONS, here, new_session_form, stated_form
from reviews.pages import attempt, form_error, posted_action, posted_pk
from reviews.scoring import MemberTally

# The colours of the small bars (the numbers are in the table beside them).
BAR_COLOURS = {"yes": "#1d6b3a", "sometimes": "#a35c00", "no": "#b3261e"}


@dataclass
class CountRow:
    """One question's line in the counts table."""

    criterion: object
    wording: str
    voice: object
    level_label: str = ""

    @property
    def tally(self):
        return self.voice.tally

    @property
    def shares(self):
        return [(answer, self.tally.share(answer), getattr(self.tally, answer)) for answer in BAR_COLOURS]

    @property
    def bar(self):
        """(x, width, colour) of each part of the bar, in percent of its length."""
        parts, start = [], 0.0
        for answer, share, _count in self.shares:
            if share:
                parts.append((start, share, BAR_COLOURS[answer]))
                start += share
        return parts


@login_required
@require_http_methods(["GET", "POST"])
def members_voice(request, pk):
    cycle = cycle_or_404(request.user, pk)
    require("view_member_responses", request.user, cycle)
    forms = {"session": None, "stated": None, "quote": None, "quote_index": None}
    if request.method == "POST":
        rule, handler = posted_action(request, MEMBERS_ACTIONS)
        require(rule, request.user, cycle)
        response = handler(request, cycle, forms)
        if response is not None:
            return response
    return _render(request, cycle, forms)


def _render(request, cycle, forms):
    user = request.user
    disclosed = disclosure(user, cycle)
    may = {rule: rules.test_rule(rule, user, cycle) for rule in (
        "run_questionnaire", "enter_member_responses", "view_member_counts", "read_member_free_text",
        "view_member_quotes", "propose_member_quote", "agree_member_quote")}
    free_text = queries.free_text(cycle) if may["read_member_free_text"] else []
    context = {
        "cycle": cycle,
        "may": may,
        "summary": queries.response_summary(cycle),
        "sessions": _sessions(request, cycle) if may["run_questionnaire"] else [],
        "session_form": forms["session"] or new_session_form(),
        "stated_form": forms["stated"] or stated_form(cycle),
        "free_text": [(index, text, _quote_form(forms, index, text)) for index, text in enumerate(free_text)],
        "quotes": queries.member_quotes(cycle, agreed_only=Fact.MEMBER_QUOTES_PROPOSED not in disclosed)
        if may["view_member_quotes"] else [],
        "form": next((form for key, form in forms.items() if key != "quote_index" and form is not None and form.errors),
                     None),
    }
    if may["view_member_counts"]:
        context.update(_counts(request, cycle))
    status = 400 if context["form"] is not None else 200
    return render(request, "members/voice.html", context, status=status)


def _sessions(request, cycle):
    sessions = queries.questionnaire_sessions(cycle, timezone.now())
    for session in sessions:
        session.link = request.build_absolute_uri(reverse("questionnaire:answer", args=[session.code]))
    return sessions


def _counts(request, cycle):
    """The counts table, grouped by value, and the members' rule in words."""
    edition = cycle.edition
    levels = {level.value: level.label for level in edition.rating_levels}
    for_members = is_member_of_cycle_service(request.user, cycle) and not works_in_cycle_service(request.user, cycle)
    voices = queries.cycle_members_voices(cycle)
    by_value = {}
    for criterion in queries.member_questions(edition):
        voice = voices.get(criterion.pk) or MembersVoice(tally=MemberTally(minimum=edition.members_minimum))
        wording = (criterion.easy_read or criterion.statement) if for_members else criterion.statement
        row = CountRow(criterion, wording, voice, levels.get(voice.level, ""))
        by_value.setdefault(criterion.value, []).append(row)
    labels = [level.label for level in edition.rating_levels]
    return {
        "count_groups": list(by_value.items()),
        "for_members": for_members,
        "rule": queries.members_rule(edition),
        "top_label": labels[-1] if labels else "",
        "partly_label": labels[-2] if len(labels) > 1 else "",
        "bottom_label": labels[0] if labels else "",
    }


def _quote_form(forms, index, text):
    if forms["quote_index"] == index and forms["quote"] is not None:
        return forms["quote"]
    return QuoteForm(prefix=f"quote-{index}", initial={"text": text})


def _propose_quote(request, cycle, forms):
    index = posted_pk(request.POST.get("propose_quote"))
    form = QuoteForm(request.POST, prefix=f"quote-{index}")
    forms["quote"], forms["quote_index"] = form, index
    if not form.is_valid():
        return None
    try:
        propose_member_quote(cycle, form.cleaned_data["text"], request.user)
    except ReviewError as error:
        form_error(form, error)
        return None
    messages.success(request, _("The quote is proposed. The service's lead will agree to it or decline it."))
    return here(cycle, "#quotes-heading")


def _agree_quote(request, cycle, forms):
    quote = queries.member_quote(cycle, posted_pk(request.POST.get("agree_quote")))
    if quote is not None:
        attempt(request, lambda: agree_member_quote(quote, request.user), _("You agreed to the quote being in the report."))
    return here(cycle, "#quotes-heading")


def _decline_quote(request, cycle, forms):
    quote = queries.member_quote(cycle, posted_pk(request.POST.get("decline_quote")))
    if quote is not None:
        attempt(request, lambda: decline_member_quote(quote), _("You declined the quote: it will not be in the report."))
    return here(cycle, "#quotes-heading")


# Every POST action of the page, by the name of its button: (the rule it needs, its handler).
MEMBERS_ACTIONS = {
    **RUNNING_ACTIONS,
    "propose_quote": ("propose_member_quote", _propose_quote),
    "agree_quote": ("agree_member_quote", _agree_quote),
    "decline_quote": ("agree_member_quote", _decline_quote),
}
