from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from reviews.notices.kinds import OPTIONAL


class NoticeSettingsForm(Form):
    """The notices a person may turn off, ticked for those they get."""

    wanted = forms.MultipleChoiceField(
        label=_("Email me when"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.code, kind.label) for kind in OPTIONAL],
    )
