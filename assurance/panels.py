"""Panels: parts of a page that other apps contribute, so that the page's own code never has to
import them. The network core knows nothing of reviews, yet its home page shows each person's
reviews; a cycle's page shows a section from each stage of the review.

An app registers a provider for a slot when it is ready (AppConfig.ready). A provider is a
function of the request and the slot's own arguments that returns a Panel, or None when the
person has nothing there. Providers run in their `order`, lowest first.
"""

from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_PROVIDERS = {}  # slot → [(order, provider)]


def register(slot, provider, *, order=50):
    providers = _PROVIDERS.setdefault(slot, [])
    if all(existing is not provider for _order, existing in providers):
        providers.append((order, provider))
        providers.sort(key=lambda entry: entry[0])
    return provider


def panels(slot, request, **arguments):
    """The panels of a slot for this request, in order, leaving out those that have nothing."""
    shown = (provider(request, **arguments) for _order, provider in _PROVIDERS.get(slot, []))
    return [panel for panel in shown if panel is not None]
