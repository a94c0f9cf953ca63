"""Pages of a review cycle as a whole: the cycle page and opening a cycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from reviews.cycles.access import cycle_or_404
from reviews.cycles.forms import OpenCycleForm
from reviews.cycles.page import render_cycle_page
from reviews.cycles.services import open_cycle
from reviews.errors import ReviewError
from reviews.pages import form_error


@login_required
def cycle_detail(request, pk):
    return render_cycle_page(request, cycle_or_404(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def cycle_open(request):
    require("open_cycle", request.user)
    form = OpenCycleForm(request.POST or None, initial={"service": request.GET.get("service")})
    if request.method == "POST" and form.is_valid():
        try:
            cycle = open_cycle(opened_by=request.user, **form.cleaned_data)
        except ReviewError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Review cycle opened for %(service)s.") % {"service": cycle.service})
            return redirect(cycle)
    return render(request, "cycles/cycle_open.html", {"form": form})
