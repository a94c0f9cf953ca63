from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from assurance.forms_base import NamedErrorsMixin


class SignInForm(NamedErrorsMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Check them and try again; after several wrong "
            "tries, signing in is paused for a while."
        ),
        "inactive": _("This account is switched off. Ask your network administrator."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # No autofocus: it would skip the page's heading and skip link for screen-reader users.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

