import datetime
import string

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from reviews.scoring import level_in_words

register = template.Library()

# The one way reports and pages write a date: "2 December 2026".
LONG_DATE = "j F Y"


@register.filter
def long_date(value):
    """A date, a moment (in local time) or a date kept in a report's data as "2026-12-02", as
    "2 December 2026"; "" for nothing."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value) if value else None
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return format_date(value, LONG_DATE) if value else ""

# Characters that stand for themselves inside a double-quoted CSS string. Everything else (quotes,
# backslashes, angle brackets, every control character such as \r, \f or a NUL) is written as a
# CSS escape, so no text can end the string, the rule or the <style> element it sits in.
CSS_SAFE = frozenset(string.ascii_letters + string.digits + " .,;:!?'()[]{}-_/&@#%+*=~|^$`")


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None: for per-criterion and per-level details."""
    if mapping is None:
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def css_string(value):
    """Text made safe inside a double-quoted CSS string (for page headers in PDFs): letters of any
    script stay as they are; anything else becomes a hexadecimal CSS escape ending in a space."""
    return "".join(_css_character(character) for character in str(value))


def _css_character(character):
    if character in CSS_SAFE or (ord(character) > 0x7F and character.isprintable()):
        return character
    # U+0000 cannot appear in CSS at all; the replacement character stands in for it.
    return f"\\{ord(character) or 0xFFFD:X} "


@register.simple_tag
def who_saved(rating, show_names, viewer):
    """Who last saved an answer, as far as this reader may know it: their name where the disclosure
    policy shows the perspective's authors (or it was the reader), otherwise "someone"."""
    person = getattr(rating, "updated_by", None)
    if person is None:
        return _("someone")
    return str(person) if show_names or person.pk == getattr(viewer, "pk", None) else _("someone")


MEETING_ANSWERS = {"yes": _l("Yes"), "sometimes": _l("Sometimes"), "no": _l("No"), "dont_know": _l("Don't know")}


@register.simple_tag
def members_voice(voice):
    """The members' voice on one criterion, compact: "Yes 12 · Sometimes 5 · No 3 (n=20)" with a
    sentence for screen readers, each members' meeting's shared answer ("Meeting: Yes"), or "Too
    few answers to show" where fewer than the edition's minimum answered (no count is given then,
    not even the number who answered)."""
    if voice is None:
        return format_html('<span class="muted">{}</span>', _("No answers"))
    parts = []
    tally = voice.tally
    if tally.shown:
        parts.append(format_html(
            # the sentence is placed in the counts' own box, so that it never widens a page that scrolls a table
            '<span class="members-voice"><span aria-hidden="true">{} {} · {} {} · {} {} (n={})</span>'
            '<span class="visually-hidden">{}</span></span>',
            _("Yes"), tally.yes, _("Sometimes"), tally.sometimes, _("No"), tally.no, tally.decided,
            _("Of %(n)d members who answered, %(yes)d said yes, %(sometimes)d sometimes and %(no)d no.")
            % {"n": tally.decided, "yes": tally.yes, "sometimes": tally.sometimes, "no": tally.no},
        ))
    elif tally.decided or tally.dont_know:
        parts.append(format_html('<span class="muted">{}</span>', _("Too few answers to show")))
    for size, answer in voice.groups:
        label = MEETING_ANSWERS.get(answer, "—")
        if size:
            parts.append(format_html("{}: {} ({})", _("Meeting"), label, ngettext("%(n)d member", "%(n)d members", size) % {"n": size}))
        else:
            parts.append(format_html("{}: {}", _("Meeting"), label))
    if not parts:
        return format_html('<span class="muted">{}</span>', _("No answers"))
    return mark_safe("<br>".join(conditional_escape(part) for part in parts))  # noqa: S308 - each part is escaped


@register.filter
def level_name(value, levels):
    """The label of the level with this value among an edition's levels ("" when there is none)."""
    return next((level.label for level in levels or () if level.value == value), "")


@register.filter
def level_named(value, levels):
    """A level value (a reviewers' median may fall between two) in the edition's words."""
    return level_in_words(value, {level.value: level.label for level in levels})


@register.simple_tag
def rating_mark(rating):
    """A rating as the grids show it: its level (its class colours it; its label says it), Abstained,
    N/A or a dash. A tag rather than an included template: the agreement grid shows some 300."""
    if not rating:
        return mark_safe('<span class="muted">—</span>')
    if getattr(rating, "abstained", False):
        return format_html('<span class="tag">{}</span>', _("Abstained"))
    if rating.not_applicable:
        return _("N/A")
    if rating.level:
        return format_html('<span class="rating rating--{}">{}</span>', rating.level.value, rating.level.label)
    return mark_safe('<span class="muted">—</span>')
