from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None: for per-criterion and per-level details."""
    if mapping is None:
        return None
    return mapping.get(key, mapping.get(str(key)))
