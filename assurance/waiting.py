"""What is waiting for a person: the list at the top of every home page.

The network core knows nothing of reviews, yet the list names the answers to give, the ratings to
submit, the drafts to check. Each app registers a provider when it is ready (AppConfig.ready): a
function of the request that returns the WaitingItems it knows of for that person, in a fixed
number of queries, and only what the person may see.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InPlaceAction:
    """A button on the home page that does the thing there and then (a POST to `url`, coming
    back to `next`): its name and value, its label, and words for screen readers saying what
    it acts on."""

    url: str
    name: str
    value: str
    label: str
    about: str = ""


@dataclass(frozen=True)
class WaitingItem:
    """One thing a person needs to do: a sentence, the page where they do it, and a due date
    when there is one."""

    text: str
    link: str
    due: object = None  # a date
    urgent: bool = False
    action_label: str = field(default=_("Go to it"))
    in_place: InPlaceAction | None = None

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.localdate()

    def sort_key(self):
        """By due date, undated last; among equals, urgent first."""
        return (self.due is None, self.due or timezone.localdate(), not self.urgent)


_PROVIDERS = []


def register(provider):
    if all(existing is not provider for existing in _PROVIDERS):
        _PROVIDERS.append(provider)
    return provider


def items_for(request):
    """Everything waiting for this person, by due date (undated last)."""
    items = [item for provider in _PROVIDERS for item in (provider(request) or ())]
    return sorted(items, key=WaitingItem.sort_key)
