"""The form a reviewer declares a conflict of interest with: one service, or a whole organisation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from assurance.models import Organisation, Service


class ServiceWithOrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class ConflictForm(Form):
    """A conflict of interest with one service, or with a whole organisation and all it runs."""

    service = ServiceWithOrganisationField(
        queryset=Service.objects.filter(is_active=True).select_related("organisation").order_by("name"),
        label=_("Service"), to_field_name="slug", required=False, empty_label=_("No single service"),
        error_messages={"invalid_choice": _("Service: choose one of the services shown.")},
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(services__is_active=True).distinct().order_by("name"),
        label=_("Or a whole organisation"), to_field_name="slug", required=False,
        empty_label=_("No whole organisation"),
        help_text=_("The prison, trust or charity you are tied to: you will not review any of its services."),
        error_messages={"invalid_choice": _("Organisation: choose one of the organisations shown.")},
    )
    reason = forms.CharField(
        label=_("What is the conflict?"), max_length=300,
        help_text=_("For example: I worked there until last year; a relative lives there."),
        error_messages={"required": _("Answer “What is the conflict?”")},
    )

    def clean(self):
        cleaned = super().clean()
        if "service" not in cleaned or "organisation" not in cleaned:
            return cleaned
        service, organisation = cleaned["service"], cleaned["organisation"]
        if service is None and organisation is None:
            self.add_error("service", _("Service: choose the service, or below it the whole organisation, you have "
                                        "a conflict of interest with."))
        elif service is not None and organisation is not None:
            self.add_error("organisation", _("Organisation: choose a service or a whole organisation, not both. A "
                                             "conflict with an organisation covers all its services."))
        return cleaned
