"""Driving the self-assessment the way a person's browser does: open a step, change some answers,
press a button. A `Step` sends back exactly what the page it was opened from holds, version fields
included, so two `Step`s opened before either saves behave like two people at two screens."""

from django import forms
from django.urls import reverse

from reviews.models import Cycle, CycleState, SelfRating
from standards.models import RatingLevel
from tests.factories import SelfRatingFactory
from tests.support.pages import words
from tests.support.reviews import NA, criterion, home_cycle, put_on_review_team


def step_url(cycle, perspective, step):
    return reverse("reviews:answer-step", args=[cycle.pk, perspective, step])


def autosave_url(cycle, perspective, step):
    return reverse("reviews:autosave", args=[cycle.pk, perspective, step])


def hub_url(cycle, perspective):
    return reverse("reviews:hub", args=[cycle.pk, perspective])


def answers_url(cycle, perspective):
    return reverse("reviews:answers", args=[cycle.pk, perspective])


def current_step_key(cycle, perspective):
    return f"answers-{cycle.pk}-{perspective}-current_step"


def reviewed_cycle(personas, submitted=False):
    """The home cycle with a staff answer to V1.1 ("Staff words."), the reviewer and the
    lived-experience reviewer on its team; submitted if asked. (Members answer the members'
    questionnaire, not the self-assessment.)"""
    cycle = home_cycle(personas)
    put_on_review_team(cycle, personas.reviewer, personas.lived_experience_reviewer)
    SelfRatingFactory(cycle=cycle, criterion=cycle.edition.criteria.get(code="V1.1"), narrative="Staff words.")
    if submitted:
        Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.SELF_ASSESSMENT_SUBMITTED)
        cycle.refresh_from_db()
    return cycle


def stored(cycle, perspective, code):
    """The one stored answer for a criterion (fails if there are none or several)."""
    return SelfRating.objects.get(cycle=cycle, perspective=perspective, criterion__code=code)


def stored_answers(cycle, perspective):
    """What the database holds: {code: (level label or "N/A" or None, reason, narrative, evidence titles)}."""
    ratings = SelfRating.objects.filter(cycle=cycle, perspective=perspective).select_related("level", "criterion")
    return {
        rating.criterion.code: (
            "N/A" if rating.not_applicable else (rating.level.label if rating.level else None),
            rating.not_applicable_reason,
            rating.narrative,
            sorted(e.title for e in rating.evidence.all()),
        )
        for rating in ratings
    }


def task_list(response):
    """The words of each row of the hub's task list."""
    html = response.content.decode()
    return [words(part[: part.find("</li>")]) for part in html.split('<li class="task-list__item">')[1:]]


class Step:
    """One value's page of the wizard, opened by one person."""

    def __init__(self, client, cycle, perspective, step):
        self.client, self.cycle, self.perspective, self.step = client, cycle, perspective, step
        self.url = step_url(cycle, perspective, step)
        self.response = client.get(self.url)
        assert self.response.status_code == 200, self.response
        self.data = self._data_from(self.response)

    def _data_from(self, response):
        form = response.context["form"]
        data = {current_step_key(self.cycle, self.perspective): self.step}
        for name in form.fields:
            value = form[name].value()
            if value in (None, "") and isinstance(form.fields[name].widget, forms.RadioSelect):
                continue  # no choice made: the browser sends nothing
            if isinstance(form.fields[name], forms.MultipleChoiceField):
                value = list(value or [])  # no box ticked: the browser sends nothing
            data[form.add_prefix(name)] = "" if value is None else value
        return data

    def key(self, code, field):
        return f"{self.step}-c{criterion(self.cycle, code).pk}_{field}"

    def answer(self, code, level=None, reason=None, narrative=None, evidence=None, resolution=None):
        """Fills in a criterion's fields. `level` is a level's label, NA, or "" to clear it."""
        if level is not None:
            self.data[self.key(code, "level")] = level if level in ("", NA) else str(
                RatingLevel.objects.get(edition=self.cycle.edition, label=level).pk
            )
        if reason is not None:
            self.data[self.key(code, "na_reason")] = reason
        if narrative is not None:
            self.data[self.key(code, "narrative")] = narrative
        if evidence is not None:
            self.data[self.key(code, "evidence")] = [str(item.pk) for item in evidence]
        if resolution is not None:
            self.data[self.key(code, "resolution")] = resolution
        return self

    def post(self, *buttons, follow=False, **extra):
        """Presses a button: none for "Save and continue", "save_and_exit", "add_evidence", or
        goto=STEP for "Save and go back" and the list of values. Keeps the page it gets back, so
        that a conflict can be resolved on it as in the browser."""
        data = dict(self.data)
        for button in buttons:
            data[button] = ""
        if "goto" in extra:
            data["wizard_goto_step"] = extra.pop("goto")
        data.update(extra)
        response = self.client.post(self.url, data, follow=follow)
        if response.status_code == 200 and response.context and "form" in response.context and not follow:
            self.data = self._data_from(response)
        self.response = response
        return response

    def autosave(self):
        data = {key: value for key, value in self.data.items()}
        return self.client.post(autosave_url(self.cycle, self.perspective, self.step), data)
