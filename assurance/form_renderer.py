"""The form renderer: Django's own widget templates, except that the commonest widgets (single-line
inputs, radio and checkbox options, text areas) are written in Python, with the very same HTML.

A self-assessment step or a rating page shows some forty widgets and a hundred radio options, and
each option is four nested templates (radio_option.html, input_option.html, input.html,
attrs.html): rendering them was about a third of those pages' time, the pages people use most.
No library renders Django's widgets faster without changing the templates' language (a Jinja2
renderer would), so these few are written here; every other widget keeps its template.
tests/assurance/test_form_renderer.py renders each of them both ways and compares.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
# Django's templates of these widgets are exactly {% include "django/forms/widgets/input.html" %}.
INPUTS = {f"{WIDGETS}{name}.html" for name in (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel",
    "text", "time", "url",
)}
OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}
TEXTAREA = f"{WIDGETS}textarea.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return mark_safe(_input(context["widget"]))  # noqa: S308 - every part is escaped
        if template_name in OPTIONS:
            return mark_safe(_input_option(context["widget"]))  # noqa: S308 - every part is escaped
        if template_name == TEXTAREA:
            return mark_safe(_textarea(context["widget"]))  # noqa: S308 - every part is escaped
        return super().render(template_name, context, request)


def _shown(value):
    """{{ value }} in a template: localised, then escaped unless already safe."""
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value):
    """{{ value|stringformat:'s' }}: the value as a string, escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else "%s" % (value,))  # noqa: UP031 - as the filter


def _attrs(attrs):
    """attrs.html: each attribute but the False ones; a True one by its name alone."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _input_option(widget):
    """input_option.html: the input, inside its label when the widget wraps it."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = f' for="{_shown(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {_shown(widget['label'])}</label>"


def _textarea(widget):
    text = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
