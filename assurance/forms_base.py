"""Forms whose every error message names its field.

Django's own messages ("This field is required.", "Enter a valid date.") say nothing of which
field they are about: listed twice in an error summary, nobody can tell them apart. A form built
on `Form` (or `NamedErrorsMixin`) gives each field's generic messages in words that name it
("Enter visit date", "Visit date: enter a real date"), and any other message about a field that
does not name it (a form's own check, a domain rule placed next to its field) gets the field's
name in front ("Rating for BOU.1: choose one of the answers shown.").

A field is named by, in order: the form's `error_names` {field name: words}, the field's
`error_name` (set by `name_for_row` where one form repeats the same fields per criterion), or
its label. A message also names a row's field when it names the row (its `error_key`, a
criterion's code).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REQUIRED_CHOOSE = (forms.ChoiceField, forms.ModelChoiceField, forms.MultipleChoiceField)

INVALID = {
    # The most specific class first: DateTimeField before DateField, URLField before CharField.
    forms.DateTimeField: _("%(subject)s: enter a real date and time"),
    forms.DateField: _("%(subject)s: enter a real date, like 2 December 2026"),
    forms.TimeField: _("%(subject)s: enter a real time, like 14:30"),
    forms.IntegerField: _("%(subject)s: enter a whole number, like 12"),
    forms.DecimalField: _("%(subject)s: enter a number, like 2.5"),
    forms.FloatField: _("%(subject)s: enter a number, like 2.5"),
    forms.EmailField: _("%(subject)s: enter an email address, like name@example.org"),
    forms.URLField: _("%(subject)s: enter a web address starting with https://"),
    forms.FileField: _("%(subject)s: no file was received. Choose the file again"),
}

OTHER_CODES = {
    "invalid_choice": _("%(subject)s: choose one of the options shown"),
    "invalid_list": _("%(subject)s: choose from the options shown"),
    "invalid_pk_value": _("%(subject)s: choose one of the options shown"),
    "max_length": _("%(subject)s: write at most %%(limit_value)d characters (it has %%(show_value)d)"),
    "min_length": _("%(subject)s: write at least %%(limit_value)d characters (it has %%(show_value)d)"),
    "min_value": _("%(subject)s: give %%(limit_value)s or more"),
    "max_value": _("%(subject)s: give %%(limit_value)s or less"),
    "missing": _("%(subject)s: no file was received. Choose the file again"),
    "empty": _("%(subject)s: the file is empty. Choose another"),
    "contradiction": _("%(subject)s: choose a file or tick Clear, not both"),
}


def name_for_row(field, key):
    """Names a field that one form repeats for each row (criterion) after its row: "Rating for
    BOU.1". A message naming the row (its code) then names the field."""
    field.error_name = _("%(label)s for %(key)s") % {"label": str(field.label).strip().rstrip("?:"), "key": key}
    field.error_key = str(key)
    return field


def field_name(form, name):
    """The words that name a field in its error messages."""
    field = form.fields[name]
    words = getattr(form, "error_names", {}).get(name) or getattr(field, "error_name", None) or field.label
    return str(words or name.replace("_", " ")).strip().rstrip("?:").removesuffix(" (optional)").strip()


def names_field(message, form, name):
    text = str(message).casefold()
    key = getattr(form.fields[name], "error_key", None)
    return field_name(form, name).casefold() in text or bool(key and str(key).casefold() in text)


def _upper_first(words):
    return words[:1].upper() + words[1:]


def _lower_first(words):
    # Keeps an acronym or code as it is: "YAML file", "BOU.1 rating".
    return words if words[1:2].isupper() or not words[1:2].isalpha() else words[:1].lower() + words[1:]


def _default(field, code):
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return message
    return None


QUESTION_WORDS = ("what", "why", "how", "which", "who", "when", "where", "is", "are", "do", "does")


def _is_question(field):
    words = str(field.label or "").strip()
    return words.endswith("?") or words.split(" ", 1)[0].casefold() in QUESTION_WORDS


def _required_message(field, name, named_by_form):
    if isinstance(field, forms.BooleanField):
        return _("Tick “%(name)s”") % {"name": name}
    if _is_question(field) and not named_by_form:
        return _("Answer “%(name)s”") % {"name": str(field.label).strip()}
    if isinstance(field, forms.FileField):
        return _("Choose %(name)s to upload") % {"name": _lower_first(name)}
    if isinstance(field, REQUIRED_CHOOSE):
        return _("Choose %(name)s") % {"name": _lower_first(name)}
    return _("Enter %(name)s") % {"name": _lower_first(name)}


def generic_message(form, name, code):
    """The message naming the field that replaces Django's generic one for `code`, or None when
    the form gave the field a message of its own for it (kept, and named by `with_name`)."""
    field = form.fields[name]
    current = field.error_messages.get(code)
    if current is not None and str(current) != str(_default(field, code)):
        return None
    words = field_name(form, name)
    subject = {"subject": _upper_first(words)}
    if code == "required":
        named_by_form = name in getattr(form, "error_names", {}) or getattr(field, "error_name", None)
        return _required_message(field, words, named_by_form)
    if code == "invalid":
        invalid = next((message for klass, message in INVALID.items() if isinstance(field, klass)), None)
        return invalid and invalid % subject
    return OTHER_CODES[code] % subject if code in OTHER_CODES else None


def with_generic_messages_named(form, name, error):
    """The field's error with each of Django's generic messages replaced by one naming the field.
    Done for the errors that happen, not beforehand for every message of every field: building
    them all cost a form of 25 fields several milliseconds on each page view."""
    if not hasattr(error, "error_list"):
        return error
    named = []
    for single in error.error_list:
        message = generic_message(form, name, single.code) if single.code else None
        named.append(single if message is None else ValidationError(message, code=single.code, params=single.params))
    return ValidationError(named)


# A message starting with one of these words goes on in lower case after the field's name; any
# other first word may be a name ("Service: Kestrel Wing already has …") and is kept as it is.
LOWER_AFTER_NAME = {
    "Choose", "Enter", "Give", "Say", "Write", "Tick", "Type", "Select", "Answer", "Add", "Upload",
    "The", "This", "That", "These", "Those", "A", "An", "It", "Its", "No", "Only", "At", "There", "Some",
}


def with_name(message, form, name):
    """The message as it is if it names the field, otherwise with the field's name in front."""
    if names_field(message, form, name):
        return message
    text = str(message)
    field = form.fields[name]
    key = getattr(field, "error_key", None)
    if key and str(field.label).strip().rstrip("?:").casefold() in text.casefold():
        return f"{key}: {text}"  # "V1.3: Give a rationale: …" says the rest itself
    if text.split(" ", 1)[0] in LOWER_AFTER_NAME:
        text = _lower_first(text)  # "Rating for V1.1: choose one of …", but "Service: Kestrel Wing has …"
    return f"{_upper_first(field_name(form, name))}: {text}"


class NamedErrorsMixin:
    """Every error message about a field names the field: see the module's docstring."""

    error_names = {}

    def add_error(self, field, error):
        if field in self.fields and isinstance(error, ValidationError):
            error = with_generic_messages_named(self, field, error)
        super().add_error(field, error)
        self._name_errors()

    def _name_errors(self):
        for name, errors in self._errors.items():
            if name not in self.fields:
                continue
            for index, error in enumerate(errors.data):
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                named = [str(with_name(message, self, name)) for message in messages]
                if named != [str(message) for message in messages]:
                    code = getattr(error, "code", None)
                    errors.data[index] = ValidationError(" ".join(str(m) for m in named), code=code)


class Form(NamedErrorsMixin, forms.Form):
    """The base of every form of the site."""


# --- the error summary ------------------------------------------------------------------------


def summary_entries(form, extra=()):
    """What the error summary lists: [(link target, message)], each message naming its field
    (also for forms not built on `Form`, such as Django's password forms), each listed once.
    `extra` adds (link, message) pairs a page found itself, such as the answers to fix before
    submitting."""
    if form is None:
        return list(extra)
    entries = []
    first = next(iter(form.visible_fields()), None)
    for error in form.non_field_errors():
        entries.append((f"#{first.auto_id}" if first is not None and first.auto_id else "#main", str(error)))
    if any(field.errors for field in form.hidden_fields()):
        entries.append((None, str(_("The page was out of date. Reload it and try again."))))
    for field in form.visible_fields():
        for error in field.errors:
            entries.append((f"#{field.auto_id}", str(with_name(error, form, field.name))))
    entries.extend((link, str(message)) for link, message in extra)
    unique = []
    for entry in entries:
        if entry not in unique:
            unique.append(entry)
    return unique
