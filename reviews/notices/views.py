"""Each person's choice of the emails they get."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reviews.notices.forms import NoticeSettingsForm
from reviews.notices.kinds import ALL, OPTIONAL
from reviews.notices.services import choose_notices, turned_off


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    if request.method == "POST":
        form = NoticeSettingsForm(request.POST)
        if form.is_valid():
            choose_notices(request.user, form.cleaned_data["wanted"])
            messages.success(request, _("Your choice of emails is saved."))
            return redirect("reviews:notice-settings")
    else:
        off = turned_off(request.user)
        form = NoticeSettingsForm(initial={"wanted": [kind.code for kind in OPTIONAL if kind.code not in off]})
    essential = [kind for kind in ALL if kind.essential]
    return render(request, "notices/settings.html", {"form": form, "essential": essential})
