"""The site's language is looked up without Python's empty English catalogues, and translates as
before."""

from django.utils import translation
from django.utils.translation import trans_real

from assurance.translations import drop_empty_fallbacks, translates_something


def chain_of(language):
    link, chain = trans_real.translation(language), []
    while link is not None:
        chain.append(link)
        link = link._fallback
    return chain


def test_no_catalogue_that_translates_nothing_is_looked_up():
    trans_real._translations.pop("en-gb", None)  # as Django first builds it
    assert any(not translates_something(link) for link in chain_of("en-gb")[1:])
    before = {text: translation.pgettext("abbrev. month", text) for text in ("Sept.", "Jan.")}

    drop_empty_fallbacks("en-gb")

    assert all(translates_something(link) for link in chain_of("en-gb"))
    with translation.override("en-gb"):
        assert translation.gettext("Go to it") == "Go to it"
        assert {text: translation.pgettext("abbrev. month", text) for text in before} == before
        assert translation.ngettext("%(n)d day", "%(n)d days", 2) == "%(n)d days"
