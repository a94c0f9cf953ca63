"""Path converters of the review pages: a segment matching a pattern, passed on as text."""

from django.urls import register_converter


class TextConverter:
    regex = None

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def text_converter(name, pattern):
    register_converter(type(f"{name.title()}Converter", (TextConverter,), {"regex": pattern}), name)


text_converter("perspective", "staff|members")
text_converter("step", r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")  # a value's code, or "check"
text_converter("format", "csv|json")
