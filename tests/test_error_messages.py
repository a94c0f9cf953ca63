"""Every form of the site, sent empty and then with nonsense in every field, lists errors that each
name their field: in the error summary at the top (each a link to an element that is on the page)
and next to the field. Nobody reads "This field is required." twice without knowing where."""

import importlib
import pkgutil
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string

from assurance.forms_base import NamedErrorsMixin, field_name

PACKAGES = ("assurance", "standards", "reviews")


def our_form_classes():
    classes = {}
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if "form" not in module_info.name.rsplit(".", 1)[-1] and ".forms." not in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    classes[f"{value.__module__}.{value.__name__}"] = value
    return classes


LEVELS = [SimpleNamespace(pk=pk, label=label, value=pk - 1, description="") for pk, label in
          ((1, "Not met"), (2, "Partly met"), (3, "Met"))]
CRITERIA = [SimpleNamespace(pk=pk, code=code, statement=f"Statement of {code}", easy_read="", value=None)
            for pk, code in ((11, "BOU.1"), (12, "BOU.2"))]
EVIDENCE = [SimpleNamespace(pk=5, title="Minutes")]
FINDINGS = [SimpleNamespace(pk=7, text="A finding", criterion=None, get_kind_display=lambda: "Strength")]
AGREED = SimpleNamespace(not_applicable=False, level_id=3, version=1, level=LEVELS[2])


def _editions():
    from standards.models import Edition

    return Edition.objects.all()


def _candidates():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.all()


# Forms that need more than data: what to build them with.
NEEDS = {
    "ValueAnswersForm": lambda: {"criteria": CRITERIA, "levels": LEVELS, "evidence": EVIDENCE, "ratings": {},
                                 "perspective": "staff", "prefix": "BOU"},
    "CheckAnswersForm": lambda: {"may_submit": True},
    "PeerRatingsForm": lambda: {"criteria": CRITERIA, "levels": LEVELS, "ratings": {}},
    "QuickRatingsForm": lambda: {"criteria": CRITERIA, "levels": LEVELS, "ratings": {}},
    "AgreeForm": lambda: {"levels": LEVELS},
    "AgreeValueForm": lambda: {"rows": [SimpleNamespace(criterion=c, agreed=None, reviews=[]) for c in CRITERIA],
                               "levels": LEVELS, "team": []},
    "FindingForm": lambda: {"criteria": CRITERIA},
    "ActionForm": lambda: {"findings": FINDINGS, "criteria": CRITERIA},
    "ActionUpdateForm": lambda: {"may_verify": True},
    "AccuracyCommentForm": lambda: {"criteria": CRITERIA, "findings": FINDINGS},
    "AccuracyAnswerForm": lambda: {"comment": SimpleNamespace(response="", criterion_id=11, finding_id=None),
                                   "agreed": AGREED, "levels": LEVELS},
    "QuestionnaireForm": lambda: {"questions": CRITERIA},
    "PaperResponseForm": lambda: {"questions": CRITERIA},
    "MeetingResponseForm": lambda: {"questions": CRITERIA},
    "AppointPanelForm": lambda: {"candidates": _candidates()},
    "FollowUpAnswerForm": lambda: {"evidence": EVIDENCE},
    "FollowUpRatingForm": lambda: {"levels": LEVELS},
    "InterimUpdateForm": lambda: {"values": [SimpleNamespace(code="BOU", name="Boundaries")]},
    "CompareForm": lambda: {"editions": _editions()},
}


def build(cls, data):
    kwargs = NEEDS.get(cls.__name__, dict)()
    if issubclass(cls, forms.Form) and "request" in cls.__init__.__code__.co_varnames[:2]:
        return cls(None, data=data, **kwargs)  # an AuthenticationForm
    return cls(data=data, **kwargs)


def nonsense(form):
    """A value no field can take: text too long, a choice not offered, a date that is none."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.BooleanField | forms.FileField):
            continue
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = ["zz-none-such"]
        elif isinstance(field, forms.CharField) and not isinstance(field, forms.URLField | forms.EmailField):
            if field.max_length:
                data[key] = "x" * (field.max_length + 1)
        else:
            data[key] = "zz-none-such"
    return data


def summary(form):
    html = render_to_string("includes/error_summary.html", {"form": form})
    return [(href, unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for href, text in re.findall(r'<li>(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</li>', html, re.S)]


def names_of(form, field):
    """Words any of which, in a message, tell which field it is about."""
    words = {field_name(form, field.name), str(field.label or "").rstrip("?").removesuffix(" (optional)")}
    key = getattr(field.field, "error_key", None)
    return {w.casefold() for w in words | ({key} if key else set()) if w}


FORM_CLASSES = our_form_classes()


def test_every_form_of_the_site_is_found_and_names_its_errors():
    assert len(FORM_CLASSES) >= 35, sorted(FORM_CLASSES)
    plain = [name for name, cls in FORM_CLASSES.items() if not issubclass(cls, NamedErrorsMixin)]
    assert not plain, f"build these on assurance.forms_base.Form: {plain}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(FORM_CLASSES))
@pytest.mark.parametrize("sent", ["empty", "nonsense"])
def test_each_error_in_the_summary_names_its_field_and_links_to_it(path, sent):
    cls = FORM_CLASSES[path]
    form = build(cls, {})
    if sent == "nonsense":
        form = build(cls, nonsense(form))
    form.is_valid()
    entries = summary(form)
    page = str(form)
    messages = [message for _, message in entries]
    assert len(messages) == len(set(messages)), f"the same message twice: {messages}"
    assert "This field is required." not in " ".join(messages)
    by_id = {f"#{field.auto_id}": field for field in form.visible_fields()}
    for href, message in entries:
        if href is None or href not in by_id:
            continue  # the form as a whole, or a page out of date
        assert f'id="{href[1:]}"' in page, f"{path}: the link {href} goes nowhere"
        field = by_id[href]
        assert any(word in message.casefold() for word in names_of(form, field)), (
            f"{path}: “{message}” does not name {field.label!r}")
        # Next to the field, too.
        assert all(any(word in str(e).casefold() for word in names_of(form, field)) for e in field.errors)


def test_generic_messages_become_ones_that_name_the_field():
    from reviews.peer.forms import ActionForm, VisitForm

    form = ActionForm(data={"due_date": "2026-02-31"}, findings=[], criteria=[])
    form.is_valid()
    assert [m for _, m in summary(form)] == [
        "Enter action", "Enter owner", "Due date: enter a real date, like 2 December 2026",
    ]
    visit = VisitForm(data={"date": "soon"})
    visit.is_valid()
    assert visit.errors["date"] == ["Visit date: enter a real date, like 2 December 2026"]


def test_a_message_about_one_criterion_among_many_names_the_criterion():
    from reviews.peer.forms import PeerRatingsForm

    form = PeerRatingsForm(data={"c11_level": "abstain", "c12_level": "99"}, criteria=CRITERIA, levels=LEVELS,
                           ratings={})
    form.is_valid()
    messages = [m for _, m in summary(form)]
    assert "My rating for BOU.2: choose one of the ratings shown." in messages
    assert any("BOU.1" in m and "abstain" in m for m in messages), messages
