from django import forms
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import Form
from standards.files import MAX_FILE_BYTES
from standards.models import Edition


class StandardsUploadForm(Form):
    file = forms.FileField(
        label=_("Standards file (YAML)"),
        help_text=_("One edition per file, in the format that Export gives. At most 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 2 MB."))
        return upload


class CompareForm(Form):
    old = forms.ModelChoiceField(queryset=Edition.objects.none(), label=_("Earlier edition"), to_field_name="version")
    new = forms.ModelChoiceField(queryset=Edition.objects.none(), label=_("Later edition"), to_field_name="version")

    def __init__(self, editions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].queryset = editions
        self.fields["new"].queryset = editions
        self.fields["old"].label_from_instance = self.fields["new"].label_from_instance = _edition_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") and cleaned.get("old") == cleaned.get("new"):
            self.add_error("new", _("Choose two different editions."))
        return cleaned


def _edition_label(edition):
    return f"{edition.version} ({edition.get_status_display().lower()})"
