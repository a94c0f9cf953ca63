"""Browsing, comparing, exporting and loading standards editions."""

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assurance.access import require
from standards import queries
from standards.files import StandardsFileError, dump_standards, read_standards_bytes
from standards.forms import CompareForm, StandardsUploadForm
from standards.models import Framework, RatedBy, Tier
from standards.services import EditionInUse, compare_editions, edition_as_data, load_standards


def _edition_or_404(user, framework, version):
    return get_object_or_404(queries.editions_visible_to(user), framework__slug=framework, version=version)


@login_required
def index(request):
    frameworks = queries.frameworks_with_editions(request.user)
    return render(request, "standards/index.html", {"frameworks": frameworks})


@login_required
def edition_detail(request, framework, version):
    edition = _edition_or_404(request.user, framework, version)
    tier = request.GET.get("tier", "")
    rated_by = request.GET.get("rated_by", "")
    values = list(queries.values_with_criteria(edition))
    for value in values:
        value.shown_criteria = [
            criterion
            for criterion in value.criteria.all()
            if (not tier or str(criterion.tier) == tier) and (not rated_by or criterion.rated_by == rated_by)
        ]
    context = {
        "edition": edition,
        "values": values,
        "levels": edition.rating_levels[::-1],
        "members_levels": _members_levels(edition),
        "criteria_count": sum(len(value.criteria.all()) for value in values),
        "shown_count": sum(len(value.shown_criteria) for value in values),
        "tier": tier,
        "rated_by": rated_by,
        "tier_choices": Tier.choices,
        "rated_by_choices": RatedBy.choices,
        "other_editions": queries.editions_visible_to(request.user).filter(framework=edition.framework).exclude(pk=edition.pk),
    }
    return render(request, "standards/edition_detail.html", context)


def _members_levels(edition):
    """The labels the members' rule gives: the top level, the one below it and the lowest."""
    levels = edition.rating_levels
    if not levels:
        return {}
    return {"met": levels[-1].label, "partly": levels[-2].label if len(levels) > 1 else levels[0].label, "not_met": levels[0].label}


@login_required
def export(request, framework, version):
    edition = _edition_or_404(request.user, framework, version)
    response = HttpResponse(dump_standards(edition_as_data(edition)), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{edition.framework.slug}-{edition.version}.yaml"'
    return response


@login_required
def compare(request, framework):
    framework = get_object_or_404(Framework, slug=framework)
    editions = queries.editions_visible_to(request.user).filter(framework=framework).order_by("version")
    if not editions.exists():
        raise Http404
    form = CompareForm(editions, request.GET or None)
    comparison = None
    if form.is_valid():
        comparison = compare_editions(form.cleaned_data["old"], form.cleaned_data["new"])
    return render(
        request, "standards/compare.html", {"framework": framework, "form": form, "comparison": comparison}
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require("load_standards", request.user)
    form = StandardsUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            spec = read_standards_bytes(upload.read(), upload.name)
            with set_actor(request.user):
                [outcome] = load_standards([spec])
        except StandardsFileError as error:
            problems = error.problems
        except EditionInUse as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("%(edition)s: %(action)s.") % {"edition": outcome.edition, "action": outcome.action})
            return redirect(outcome.edition.get_absolute_url())
    return render(request, "standards/upload.html", {"form": form, "problems": problems})
