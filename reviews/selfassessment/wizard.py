"""The self-assessment wizard: one step per value, then "check your answers", and the autosave
that the browser calls every few seconds."""

from collections import OrderedDict

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.session import SessionStorage
from formtools.wizard.views import NamedUrlSessionWizardView

from reviews.cycles.access import cycle_or_404
from reviews.errors import ReviewError
from reviews.pages import form_error
from reviews.selfassessment import queries
from reviews.selfassessment.forms import CheckAnswersForm, ValueAnswersForm
from reviews.selfassessment.models import Perspective
from reviews.selfassessment.services import save_answers, submit_self_assessment

CHECK_STEP = "check"


class StepForms:
    """Builds the form of any step for one person, one cycle and one perspective."""

    def __init__(self, request, cycle, perspective):
        self.request = request
        self.cycle = cycle
        self.perspective = perspective
        self.criteria = list(queries.criteria_for(cycle.edition, perspective))
        self.values = list(OrderedDict((c.value.code, c.value) for c in self.criteria).values())
        self.levels = cycle.edition.rating_levels

    def step_names(self):
        return [value.code for value in self.values] + [CHECK_STEP]

    def value_for(self, step):
        return next((value for value in self.values if value.code == step), None)

    def criteria_of(self, step):
        return [c for c in self.criteria if c.value.code == step]

    def value_form(self, step, data=None, conflicts=None, draft=False):
        criteria = self.criteria_of(step)
        ratings = queries.stored_answers(self.cycle, self.perspective, criteria)
        return ValueAnswersForm(
            data,
            prefix=step,
            criteria=criteria,
            levels=self.levels,
            evidence=list(queries.evidence_visible_in(self.cycle, self.perspective).select_related(None).only("title")),
            ratings=ratings,
            perspective=self.perspective,
            conflicts=conflicts,
            draft=draft,
        )


class SessionStorageWrittenOnChange(SessionStorage):
    """formtools' session storage, saving the session only when the wizard's data changes.

    formtools marks the session changed whenever the wizard reads its data, so every page of
    the self-assessment rewrote the person's session row (three statements and the signing, on
    about a third of all requests). The current step is not worth a write either: each request
    takes it from the page's address (or, on a save, from the form) before reading it."""

    def _get_data(self):
        return self.request.session[self.prefix]

    data = property(_get_data, SessionStorage._set_data)

    def _changed(self):
        self.request.session.modified = True

    def _set_extra_data(self, extra_data):
        super()._set_extra_data(extra_data)
        self._changed()

    def set_step_data(self, step, cleaned_data):
        super().set_step_data(step, cleaned_data)
        self._changed()

    def set_step_files(self, step, files):
        super().set_step_files(step, files)
        self._changed()


class AnswerWizard(NamedUrlSessionWizardView):
    """One step per value, then "check your answers".

    The database, not the wizard's session storage, holds the answers: each step is saved when
    the person moves on, goes back, jumps elsewhere or leaves, and the storage keeps only the
    current step. This avoids formtools' known ways of losing data (a jump discarding the
    current step, stale session data shown over newer saved answers).
    """

    form_list = [(CHECK_STEP, CheckAnswersForm)]  # replaced per cycle by get_form_list()
    storage_name = "reviews.selfassessment.wizard.SessionStorageWrittenOnChange"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.cycle = cycle_or_404(request.user, kwargs["pk"])
        self.perspective = kwargs["perspective"]
        if not rules.test_rule(f"edit_answers:{self.perspective}", request.user, self.cycle):
            # Once submitted, the answers are read-only for everyone who may read them; while
            # open, the other perspective's wizard is not there for this person at all.
            locked = not self.cycle.self_assessment_is_open
            if locked and rules.test_rule(f"read_answers:{self.perspective}", request.user, self.cycle):
                messages.info(request, _("These answers can no longer be changed."))
                return redirect("reviews:hub", self.cycle.pk, self.perspective)
            raise Http404
        self.forms = StepForms(request, self.cycle, self.perspective)
        self.conflicts = None
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if self.steps.current == CHECK_STEP:
            return ["selfassessment/answer_check.html"]
        return ["selfassessment/answer_step.html"]

    def get_prefix(self, request, *args, **kwargs):
        return f"answers-{self.cycle.pk}-{self.perspective}"

    def get_form_list(self):
        return OrderedDict((name, ValueAnswersForm) for name in self.forms.step_names()[:-1]) | {
            CHECK_STEP: CheckAnswersForm
        }

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.cycle.pk, "perspective": self.perspective, "step": step})

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        if step == CHECK_STEP:
            return CheckAnswersForm(data, prefix=step, may_submit=self._may_submit())
        return self.forms.value_form(step, data, conflicts=self.conflicts)

    def _may_submit(self):
        return self.perspective == Perspective.STAFF and rules.test_rule(
            "submit_self_assessment", self.request.user, self.cycle
        )

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        if step == CHECK_STEP:
            sheet = queries.answer_sheet(self.cycle, self.perspective)
        else:
            sheet = queries.answer_progress(self.cycle, self.perspective, self.forms.criteria)
        context.update(
            cycle=self.cycle,
            perspective=self.perspective,
            show_authors=rules.test_rule(f"see_answer_authors:{self.perspective}", self.request.user, self.cycle),
            value=self.forms.value_for(step),
            sheet=sheet,
            levels=self.forms.levels,
            hub_url=reverse("reviews:hub", args=[self.cycle.pk, self.perspective]),
            autosave_url=reverse("reviews:autosave", args=[self.cycle.pk, self.perspective, step]),
            may_submit=self._may_submit(),
            level_hints={str(level.pk): level.description for level in self.forms.levels},
        )
        if step == CHECK_STEP:
            context["warnings"] = sheet.warnings()
            context["warning_groups"] = sheet.warning_groups(context["warnings"])
            context["warnings_by_criterion"] = {w.criterion.pk: w for w in context["warnings"]}
        return context

    def post(self, *args, **kwargs):
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        step = management.cleaned_data["current_step"] if management.is_valid() else None
        if step not in self.get_form_list():
            return render(
                self.request,
                "selfassessment/bad_request.html",
                {"message": _("That page of the self-assessment does not exist. Nothing was saved."),
                 "back_url": reverse("reviews:hub", args=[self.cycle.pk, self.perspective])},
                status=400,
            )
        self.storage.current_step = step
        form = self.get_form(step, data=self.request.POST)
        if step == CHECK_STEP:
            return self._post_check(form)
        if not form.is_valid():
            return self.render(form)
        try:
            result = save_answers(self.cycle, self.perspective, form.answers(), self.request.user)
        except ReviewError as error:
            messages.error(self.request, error.message)
            return redirect("reviews:hub", self.cycle.pk, self.perspective)
        if result.conflicts:
            return self._render_conflicts(step, result)
        return redirect(self._destination(step))

    def _render_conflicts(self, step, result):
        self.conflicts = {conflict.answer.criterion_id: conflict for conflict in result.conflicts}
        data = self.request.POST.copy()
        for criterion_id, version in result.versions.items():
            # A conflicting answer keeps the version the person started from; the version of
            # their answer goes with the choice, so that only choosing replaces it.
            field = "theirs" if criterion_id in self.conflicts else "version"
            data[f"{step}-c{criterion_id}_{field}"] = str(version)
        for criterion_id in self.conflicts:
            data.pop(f"{step}-c{criterion_id}_resolution", None)
        form = self.get_form(step, data=data)
        form.is_valid()  # shows the resolution choices as still to be made
        return self.render(form)

    def _destination(self, step):
        post = self.request.POST
        goto = post.get("wizard_goto_step")
        if goto in self.get_form_list():
            return self.get_step_url(goto)
        if "save_and_exit" in post:
            messages.success(self.request, _("Your answers are saved. You can come back to them at any time."))
            return reverse("reviews:hub", args=[self.cycle.pk, self.perspective])
        if "add_evidence" in post:
            return reverse("reviews:evidence", args=[self.cycle.pk]) + "?next=" + self.get_step_url(step)
        return self.get_step_url(self.steps.next or CHECK_STEP)

    def _post_check(self, form):
        if not form.is_valid():
            return self.render(form)
        if "wizard_goto_step" in self.request.POST and self.request.POST["wizard_goto_step"] in self.get_form_list():
            return redirect(self.get_step_url(self.request.POST["wizard_goto_step"]))
        if "submit" not in self.request.POST or not self._may_submit():
            messages.success(self.request, _("Thank you. Your answers are saved."))
            return redirect("reviews:hub", self.cycle.pk, self.perspective)
        if not form.cleaned_data.get("confirm"):
            form.add_error("confirm", _("Tick the box to confirm the answers are ready, then submit."))
            return self.render(form)
        try:
            submit_self_assessment(self.cycle, self.request.user)
        except ReviewError as error:
            links = self._answers_to_fix()
            if not links:
                form_error(form, error)
                return self.render(form)
            return self.render(form, error_intro=error.message, error_links=links)
        messages.success(self.request, _("The self-assessment is submitted. It is now locked for the peer-review visit."))
        return redirect(self.cycle)

    def _answers_to_fix(self):
        """Each answer that blocks submitting, as a link to its field on its value's page."""
        links = []
        for problem in queries.answer_sheet(self.cycle, self.perspective).blocking_problems():
            criterion = problem.criterion
            field = "na_reason" if problem.kind == "no_reason" else "level"
            target = f"{self.get_step_url(criterion.value.code)}#id_{criterion.value.code}-c{criterion.pk}_{field}"
            message = (_("%(code)s: say why it does not apply") if problem.kind == "no_reason"
                       else _("%(code)s is not answered yet")) % {"code": criterion.code}
            links.append((target, message))
        return links

    def render_done(self, form, **kwargs):
        return redirect("reviews:hub", self.cycle.pk, self.perspective)

    def done(self, form_list, **kwargs):  # pragma: no cover - render_done never calls it
        return redirect("reviews:hub", self.cycle.pk, self.perspective)


@login_required
@require_POST
def autosave(request, pk, perspective, step):
    """Saves the step from the browser every few seconds (progressive enhancement)."""
    cycle = cycle_or_404(request.user, pk)
    if not rules.test_rule(f"edit_answers:{perspective}", request.user, cycle):
        if not cycle.self_assessment_is_open and rules.test_rule(f"read_answers:{perspective}", request.user, cycle):
            return JsonResponse({"message": _("These answers can no longer be changed.")}, status=409)
        raise Http404
    forms = StepForms(request, cycle, perspective)
    if forms.value_for(step) is None:
        return JsonResponse({"message": _("That page of the self-assessment does not exist.")}, status=400)
    form = forms.value_form(step, request.POST, draft=True)
    if not form.is_valid():
        return JsonResponse({"message": _("Not saved: some answers need correcting. Press Save and continue to see where.")}, status=400)
    result = save_answers(cycle, perspective, form.answers(), request.user)
    # The page takes these in; a conflicting answer keeps its old version, so that the next save
    # shows both answers instead of overwriting the other person's.
    conflicting = {conflict.answer.criterion_id for conflict in result.conflicts}
    versions = {
        f"{step}-c{criterion_id}_version": version
        for criterion_id, version in result.versions.items()
        if criterion_id not in conflicting
    }
    if result.conflicts:
        code_of = {criterion.pk: criterion.code for criterion in forms.criteria}
        codes = ", ".join(code_of[conflict.answer.criterion_id] for conflict in result.conflicts)
        return JsonResponse(
            {
                "message": _("Someone else has just changed %(codes)s. Press Save and continue to see both answers and choose.")
                % {"codes": codes},
                "versions": versions,
                "conflicts": True,
            },
            status=409,
        )
    now = time_format(timezone.localtime(), "H:i")
    return JsonResponse({"message": _("Saved at %(time)s") % {"time": now}, "versions": versions})
