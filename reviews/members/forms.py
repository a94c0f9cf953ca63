"""The members' questionnaire as a form, the same for every way in: a member's account, a
session's code, a paper copy typed in by staff, and a members' meeting's shared answers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.cycles.forms import DateInput
from reviews.members.models import MemberAnswer

ANYTHING_ELSE = "anything_else"
QUESTION_FIELD = "q{}"


def question_field(criterion):
    return QUESTION_FIELD.format(criterion.pk)


class QuestionnaireForm(Form):
    """Yes / Sometimes / No / Don't know for each question given (each optional), and, when
    `anything_else` is True, the free text. `answers()` gives {criterion id: answer or ""}."""

    def __init__(self, *args, questions, anything_else=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for criterion in self.questions:
            self.fields[question_field(criterion)] = forms.ChoiceField(
                label=criterion.easy_read or criterion.statement,
                choices=MemberAnswer.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose Yes, Sometimes, No or Don't know, or leave it.")},
            )
        if anything_else:
            self.fields[ANYTHING_ELSE] = forms.CharField(
                label=_("Anything else you want the reviewers to know?"),
                help_text=_("You do not have to write anything. Staff will not see who wrote it."),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"max_length": _("Please write less: at most %(limit_value)d letters.")},
            )

    def question_rows(self):
        """(criterion, its bound field) for each question, in order."""
        return [(criterion, self[question_field(criterion)]) for criterion in self.questions]

    def answers(self):
        return {criterion.pk: self.cleaned_data.get(question_field(criterion)) or "" for criterion in self.questions}

    def free_text(self):
        return self.cleaned_data.get(ANYTHING_ELSE, "")


class PaperResponseForm(QuestionnaireForm):
    """A returned paper copy, typed in by staff: the questionnaire and the date it came back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"] = forms.DateField(
            label=_("Date the paper copy came back"),
            initial=timezone.localdate,
            widget=DateInput,
            error_messages={
                "required": _("Give the date the paper copy came back."),
                "invalid": _("Give the date as a real date, like 28/02/2026."),
            },
        )
        self.order_fields(["received_on"])


class MeetingResponseForm(QuestionnaireForm):
    """A members' meeting's shared answers, and how many members were there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_size"] = forms.IntegerField(
            label=_("How many members were at the meeting?"),
            min_value=2,
            max_value=10_000,
            error_messages={
                "required": _("Say how many members were at the meeting."),
                "invalid": _("Give the number of members as a whole number, like 12."),
                "min_value": _("A meeting needs two members or more."),
                "max_value": _("Give a number of members up to 10000."),
            },
        )
        self.order_fields(["group_size"])


class CodeForm(Form):
    error_names = {"code": _("code")}
    code = forms.CharField(
        label=_("Your questionnaire code"),
        help_text=_("It has 8 letters and numbers, like KX7P 2MQR. Small or capital letters are fine."),
        max_length=40,
        error_messages={"required": _("Type the code you were given.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
