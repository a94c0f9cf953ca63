from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None: for per-criterion and per-level details."""
    if mapping is None:
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def css_string(value):
    """Text made safe inside a double-quoted CSS string (for page headers in PDFs)."""
    text = str(value)
    for character, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\A "), ("<", "\\3C "), (">", "\\3E ")):
        text = text.replace(character, escaped)
    return text
