"""The administration's actions on a person (assurance/admin.py adds them to the people's list):
download everything held about them, and erase them after a page that says what will change."""

import json

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.privacy.exporting import export_person
from reviews.privacy.services import PrivacyError, erase_person, plan_erasure


def _one_person(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose one person at a time."), messages.ERROR)
        return None
    return queryset.get()


@admin.action(description=gettext_lazy("Download everything held about this person (access request)"))
def export_personal_data(modeladmin, request, queryset):
    person = _one_person(modeladmin, request, queryset)
    if person is None:
        return None
    text = json.dumps(export_person(person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description=gettext_lazy("Erase this person's personal data…"))
def erase_personal_data(modeladmin, request, queryset):
    person = _one_person(modeladmin, request, queryset)
    if person is None:
        return None
    if person.pk == request.user.pk:
        modeladmin.message_user(request, _("You cannot erase yourself: ask another network administrator."),
                                messages.ERROR)
        return None
    try:
        if request.POST.get("confirmed") == "yes":
            plan = erase_person(person, actor=request.user)
            modeladmin.message_user(request, _("Erased: the account is now “%(label)s”.") % {"label": plan.label},
                                    messages.SUCCESS)
            return None
        plan = plan_erasure(person)
    except PrivacyError as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    return TemplateResponse(request, "admin/assurance/user/erase_confirmation.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Erase personal data"), "plan": plan,
        "columns": sorted(plan.columns.items()),
        "person": person, "opts": modeladmin.model._meta, "action_checkbox_name": ACTION_CHECKBOX_NAME,
    })
