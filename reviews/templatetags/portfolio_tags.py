"""The portfolio page's busiest cells, written in Python instead of template loops.

A commissioner's portfolio of fifty services has some 350 value marks and 100 trend points; as
template loops their nodes cost most of the page's rendering (30 ms of CPU for 50 services), as
format_html a fraction of it. The HTML is the same as the loops gave.
"""

import functools
import html

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _localized(value, language):
    return localize(value)


def _percent(value):
    """A percent as the template would show it. Localising a number reads the language's formats
    each time (a third of these cells' cost); a portfolio's percents are few, so each is kept."""
    return "—" if value is None else _localized(value, get_language())


def _escaped(text):
    """What Django's escape() gives, without its check for lazy strings on every call (the marks
    below escape some 2,000 plain strings a page; that check was a fifth of the page's time)."""
    return html.escape(str(text))


@register.simple_tag
def rag_list(values):
    """Each value's RAG mark: its code, its colour and the colour in words (never colour alone)."""
    marks = "".join(
        f'<li><span class="tag tag--{_escaped(value["rag"])}" title="{_escaped(value["name"])}: '
        f'{_escaped(_percent(value["percent_met"]))}%">{_escaped(value["code"])} <span class="visually-hidden">'
        f'{_escaped(value["name"])}: </span>{_escaped(value["rag_label"])}</span></li>'
        for value in values
    )
    return mark_safe(f'<ul class="rag-list">{marks}</ul>')  # every part escaped above


@register.simple_tag
def trend_points(points, note):
    """The reviews' percent met, oldest first, each with its edition when they are of several."""
    if not points:
        return "—"
    edition = _("edition %(version)s")
    steps = [
        format_html("{} ({}): {}%", point["label"], edition % {"version": point["edition"]}, _percent(point["percent_met"]))
        if note else format_html("{}: {}%", point["label"], _percent(point["percent_met"]))
        for point in points
    ]
    return format_html_join(mark_safe(" →<br>"), "{}", ((step,) for step in steps))
