from django import template

from assurance.forms_base import summary_entries

register = template.Library()


@register.simple_tag
def error_summary_entries(form, extra=None):
    """The error summary's entries: see assurance.forms_base.summary_entries."""
    return summary_entries(form, extra or ())
