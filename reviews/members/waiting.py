"""What waits for a member, for the home page's "Waiting for you" (assurance.waiting): the
questionnaire of their service while it is open, until they have answered it. Only their own
participation is read (never what they said, nor anything of other members). One query."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.models import RoleKind
from assurance.roles import roles_of
from assurance.waiting import WaitingItem
from reviews.cycles.models import Cycle, CycleState
from reviews.disclosure import Fact, sees
from reviews.members.models import MemberParticipation


def waiting(request):
    user = request.user
    service_ids = roles_of(user).service_ids(RoleKind.MEMBER)
    if not service_ids:
        return []
    answered = MemberParticipation.objects.filter(cycle=OuterRef("pk"), user=user)
    cycles = (
        Cycle.objects.filter(service_id__in=service_ids, state__in=CycleState.QUESTIONNAIRE_OPEN)
        .select_related("service", "visit").prefetch_related("visit__team")
        .annotate(answered_by_me=Exists(answered))
        .order_by("service__name")
    )
    return [
        WaitingItem(
            _("The questionnaire of %(service)s is open: tell the reviewers what you think. Nobody will know "
              "what you said.") % {"service": cycle.service.name},
            reverse("reviews:questionnaire", args=[cycle.pk]), action_label=_("Answer the questionnaire"),
        )
        for cycle in cycles if not cycle.answered_by_me and sees(user, cycle, Fact.STAGE)
    ]
