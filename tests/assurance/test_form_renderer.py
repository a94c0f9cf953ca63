"""The form renderer writes the commonest widgets in Python: each gives exactly the HTML of Django's
own templates, whatever the value, the attributes or the label (awkward ones included)."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from assurance.form_renderer import FormRenderer

AWKWARD = 'Tom & Jerry\'s "<b>best</b>"'
CHOICES = [("met", "Met"), ("partly", gettext_lazy("Partly met")), ("", "—"), ("x&y", AWKWARD), (3, 3)]


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"aria-describedby": "hint", "autofocus": True,
                                                         "disabled": False, "data-none": None}))
    email = forms.EmailField()
    number = forms.DecimalField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField()
    url = forms.URLField()
    agree = forms.BooleanField(required=False)
    file = forms.FileField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "wide"}), required=False)
    level = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    evidence = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)


VALUES = [
    {},
    {"text": AWKWARD, "email": "a&b@example.org", "number": Decimal("1234.5"), "hidden": mark_safe("<i>safe</i>"),
     "password": "p<w>", "day": datetime.date(2026, 12, 3), "when": datetime.datetime(2026, 12, 3, 9, 30),
     "url": "https://example.org/?a=1&b=2", "agree": True, "notes": "Line one\n<script>two</script> & three",
     "level": "x&y", "evidence": ["met", 3]},
    {"text": "", "number": 0, "notes": "", "level": 3, "evidence": ["", "partly"], "agree": False},
]


def both_ways(form_class, initial, auto_id="id_%s"):
    """Every widget of the form, and every option's input, rendered by Django's templates and by ours."""
    rendered = []
    for renderer in (TemplatesSetting(), FormRenderer()):
        form = form_class(initial=initial, auto_id=auto_id, renderer=renderer)
        html = []
        for field in form:
            html.append(str(field))
            html += [option.tag() for option in field.subwidgets]
            html += [option.tag(wrap_label=True) for option in field.subwidgets]
        rendered.append(html)
    return rendered


@pytest.mark.parametrize("initial", VALUES)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_widget_written_in_python_is_the_html_of_djangos_template(initial, auto_id):
    djangos, ours = both_ways(EveryWidget, initial, auto_id)

    assert ours == djangos


def test_a_bound_form_with_errors_renders_the_same_both_ways():
    data = {"text": AWKWARD, "number": "twelve", "level": "nonsense", "notes": "kept <as> typed"}
    forms_ = [EveryWidget(data, renderer=renderer) for renderer in (TemplatesSetting(), FormRenderer())]

    assert [str(field) for field in forms_[1]] == [str(field) for field in forms_[0]]
    assert not forms_[1].is_valid()
