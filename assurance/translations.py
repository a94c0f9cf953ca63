"""The site's translations without Python's chain of empty English catalogues.

For en-GB, Python's gettext finds each app's `en_GB` catalogue and, as its fallback, its `en` one:
the source language's, which translates nothing (it holds only its header). Django keeps each of
them as a fallback of the next, so every string of ours, found in no catalogue since it is already
English, was looked up in seven catalogues before coming back as it was: about 5 µs, several
hundred times a page. Django has no setting for this; dropping the fallbacks that translate nothing
changes no translation."""

from django.conf import settings
from django.utils.translation import trans_real


def translates_something(catalogue):
    return any(key != "" for key in (getattr(catalogue, "_catalog", None) or {}).keys())


def drop_empty_fallbacks(language):
    """Unlinks, from the language's translation, each fallback that holds only a header."""
    link = trans_real.translation(language)
    while link._fallback is not None:
        if translates_something(link._fallback):
            link = link._fallback
        else:
            link._fallback = link._fallback._fallback


def drop_empty_fallbacks_of_every_language():
    if settings.USE_I18N:
        for code, _name in settings.LANGUAGES:
            drop_empty_fallbacks(code)
