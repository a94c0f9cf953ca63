"""The forms of an HTML page as a browser would submit them: each field's current value (hidden
fields such as the CSRF token and the versions, ticked boxes, chosen options, typed text)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # [(name, value)] as the browser would send them
    choices: dict = field(default_factory=dict)  # name → the values its radios or options offer
    buttons: list = field(default_factory=list)  # names of submit buttons

    def names(self):
        return {name for name, _value in self.fields} | set(self.choices)

    def data(self, changes=None):
        """The fields as submitted, with `changes` (name → value) replacing or adding values."""
        changes = dict(changes or {})
        sent = [(name, value) for name, value in self.fields if name not in changes]
        return sent + list(changes.items())


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.textarea, self.select, self.text = [], None, None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
        elif tag == "option" and self.select and self.form is not None:
            self._option(attrs)
        elif self.form is None or "name" not in attrs or "disabled" in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.form.buttons.append(attrs["name"])
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], []
        elif tag == "select":
            self.select = attrs["name"]
            self.form.choices[self.select] = []

    def _input(self, attrs):
        kind, name, value = attrs.get("type", "text").lower(), attrs["name"], attrs.get("value", "")
        if kind in ("radio", "checkbox"):
            self.form.choices.setdefault(name, []).append(value or "on")
            if "checked" in attrs:
                self.form.fields.append((name, value or "on"))
        elif kind in ("submit", "image"):
            self.form.buttons.append(name)
        elif kind != "file":
            self.form.fields.append((name, value))

    def _option(self, attrs):
        value = attrs.get("value", "")
        self.form.choices[self.select].append(value)
        chosen = [n for n, _v in self.form.fields if n == self.select]
        if "selected" in attrs or not chosen:
            self.form.fields = [(n, v) for n, v in self.form.fields if n != self.select] + [(self.select, value)]

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea and self.form is not None:
            self.form.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def read_forms(html):
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.forms


def form_with(html, wanted):
    """The first POST form whose field names satisfy `wanted(names)`, or None. Signing out, a form
    on every page, is never wanted."""
    return next((form for form in read_forms(html)
                 if form.method == "post" and "sign-out" not in form.action and wanted(form.names())), None)
