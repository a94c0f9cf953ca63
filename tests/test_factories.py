"""Every model of the network, the standards and the reviews has a factory in tests.factories, and
each factory, called with no arguments, saves a valid row, as often as it is called."""

import pytest
from django.apps import apps

from tests.factories import factories_by_model

APPS = ("assurance", "standards", "reviews")
MODELS = [model for label in APPS for model in apps.get_app_config(label).get_models()]
# Fields a factory leaves empty although a form would ask for them. An agreed rating's `agreed_by`
# may be empty in the database (the person may be gone; settled reviews are made without one).
LEFT_EMPTY = {"reviews.AgreedRating": ["agreed_by"]}
# The one factory that gives back the same row: every edition a factory makes belongs to the one
# framework, "Test Standards".
SHARED = {"standards.Framework"}


def test_every_model_has_a_factory():
    missing = sorted(model._meta.label for model in MODELS if model not in factories_by_model())

    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_factory_saves_a_valid_row_each_time_it_is_called(db, model):
    make = factories_by_model()[model]

    first, second = make(), make()

    for made in (first, second):
        assert isinstance(made, model) and made.pk is not None
        made.full_clean(exclude=LEFT_EMPTY.get(model._meta.label))
    assert model.objects.filter(pk__in=[first.pk, second.pk]).count() == len({first.pk, second.pk})
    assert (first.pk == second.pk) == (model._meta.label in SHARED)
