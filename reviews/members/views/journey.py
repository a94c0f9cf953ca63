"""The way through the questionnaire, the same whether a member signed in or came with a session's
code: a start page, a page of questions per value, a last page for anything else, a check page
in the member's own words, then Send and thank you.

Until Send, the answers are kept in the browser's session only (a draft per questionnaire), so
nothing of a member's is stored before they choose to send it."""

from dataclasses import dataclass, field
from itertools import groupby

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reviews.errors import ReviewError
from reviews.members.forms import QuestionnaireForm
from reviews.members.models import MemberAnswer
from reviews.members.queries import member_questions

DRAFTS = "questionnaire_drafts"  # key in the browser's session: {scope: {"answers": ..., "anything_else": ...}}
CHECK = "check"


@dataclass
class Journey:
    """One questionnaire as a member goes through it. `page_url(number)`, `check_url`,
    `thanks_url` and `start_url` are its addresses; `send(answers, anything_else)` stores the
    response (raising ReviewError when it is refused)."""

    request: object
    cycle: object
    scope: str
    start_url: str
    check_url: str
    thanks_url: str
    page_url: object
    send: object
    context: dict = field(default_factory=dict)

    def __post_init__(self):
        self.questions = member_questions(self.cycle.edition)
        self.pages = [(value, list(criteria)) for value, criteria in groupby(self.questions, key=lambda c: c.value)]

    @property
    def last_page(self):
        """The page for "anything else", after the pages of questions."""
        return len(self.pages) + 1

    # --- the draft, in the browser's session ---

    def draft(self):
        saved = self.request.session.get(DRAFTS, {}).get(self.scope, {})
        return {"answers": dict(saved.get("answers", {})), "anything_else": saved.get("anything_else", "")}

    def keep(self, draft):
        drafts = dict(self.request.session.get(DRAFTS, {}))
        drafts[self.scope] = draft
        self.request.session[DRAFTS] = drafts

    def forget(self):
        drafts = dict(self.request.session.get(DRAFTS, {}))
        drafts.pop(self.scope, None)
        self.request.session[DRAFTS] = drafts

    def render(self, template, context=None, status=200):
        return render(self.request, template, {
            "cycle": self.cycle, "journey": self, "service_name": self.cycle.service.name, **self.context, **(context or {}),
        }, status=status)


def start_page(journey):
    return journey.render("members/questionnaire_start.html", {
        "first_url": journey.page_url(1), "question_count": len(journey.questions),
    })


def _page_form(journey, number, data=None):
    draft = journey.draft()
    if number == journey.last_page:
        return QuestionnaireForm(data, questions=[], initial={"anything_else": draft["anything_else"]})
    criteria = journey.pages[number - 1][1]
    initial = {f"q{c.pk}": draft["answers"].get(str(c.pk), "") for c in criteria}
    return QuestionnaireForm(data, questions=criteria, anything_else=False, initial=initial)


def question_page(journey, number):
    """A value's questions (or the last page, anything else): each button keeps what was chosen."""
    if not 1 <= number <= journey.last_page:
        raise Http404
    request = journey.request
    form = _page_form(journey, number, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            draft = journey.draft()
            draft["answers"].update({str(pk): answer for pk, answer in form.answers().items()})
            if number == journey.last_page:
                draft["anything_else"] = form.free_text().strip()
            journey.keep(draft)
            return redirect(_after(journey, number, request.POST))
    value = journey.pages[number - 1][0] if number < journey.last_page else None
    return journey.render("members/questionnaire_page.html", {
        "form": form,
        "value": value,
        "number": number,
        "back_to_check": request.GET.get("from") == CHECK or CHECK in request.POST,
        "previous_url": journey.page_url(number - 1) if number > 1 else journey.start_url,
    }, status=400 if form.errors else 200)


def _after(journey, number, posted):
    if "back" in posted:
        return journey.page_url(number - 1) if number > 1 else journey.start_url
    if CHECK in posted or number == journey.last_page:
        return journey.check_url
    return journey.page_url(number + 1)


@dataclass
class SaidRow:
    criterion: object
    said: str  # the member's answer in words, or "" when they skipped it
    change_url: str


def _said(journey, draft):
    labels = dict(MemberAnswer.choices)
    return [
        (value, [
            SaidRow(c, labels.get(draft["answers"].get(str(c.pk), ""), ""), f"{journey.page_url(number)}?from=check#id_q{c.pk}")
            for c in criteria
        ])
        for number, (value, criteria) in enumerate(journey.pages, start=1)
    ]


def check_page(journey):
    """The member's answers in their own words, a way to change each, and Send."""
    draft = journey.draft()
    problem = None
    if journey.request.method == "POST":
        answers = {int(pk): answer for pk, answer in draft["answers"].items()}
        try:
            journey.send(answers, draft["anything_else"])
        except ReviewError as error:
            problem = error.message
        else:
            journey.forget()
            return redirect(journey.thanks_url)
    return journey.render("members/questionnaire_check.html", {
        "said": _said(journey, draft),
        "anything_else": draft["anything_else"],
        "anything_else_url": f"{journey.page_url(journey.last_page)}?from=check#id_anything_else",
        "problem": problem,
    }, status=400 if problem else 200)


def message_page(journey, heading, text, status=200):
    """A short page that says one thing kindly: already answered, or not open now."""
    return journey.render("members/questionnaire_message.html", {"heading": heading, "text": text}, status=status)


def already_answered(journey):
    return message_page(journey, _("You have already answered. Thank you."), _(
        "We have your answers. You do not need to do anything else."
    ))
