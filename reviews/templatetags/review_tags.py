import string

from django import template
from django.utils.translation import gettext as _

register = template.Library()

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
