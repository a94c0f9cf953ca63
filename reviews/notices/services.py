"""What a person changes about their notices."""

from django.db import transaction

from reviews.notices.kinds import OPTIONAL
from reviews.notices.models import NoticeOptOut


def turned_off(person):
    return set(NoticeOptOut.objects.filter(user=person).values_list("kind", flat=True))


@transaction.atomic
def choose_notices(person, wanted):
    """Keeps the person's optional notices to those wanted; essential ones cannot be turned off."""
    unwanted = {kind.code for kind in OPTIONAL} - set(wanted)
    NoticeOptOut.objects.filter(user=person).exclude(kind__in=unwanted).delete()
    have = turned_off(person)
    NoticeOptOut.objects.bulk_create(NoticeOptOut(user=person, kind=code) for code in sorted(unwanted - have))
