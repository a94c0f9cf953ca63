"""The onboarding pages: a network administrator imports a file (checked first, then imported as
checked), and an invited person sets their password through their link."""

import base64
import hashlib
import zlib

import rules
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.validators import validate_email
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from assurance.access import require
from assurance.models import Role
from assurance.onboarding import invitations
from assurance.onboarding.applying import check_file, import_file
from assurance.onboarding.columns import COLUMNS, REQUIRED_COLUMNS
from assurance.onboarding.reading import MAX_BYTES, FileProblem
from assurance.rules import is_network_admin

rules.set_rule("import_network", is_network_admin)

SESSION_KEY = "onboarding_file"
EXAMPLE_FILE = settings.BASE_DIR / "fixtures" / "onboarding" / "example.csv"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Network file (CSV or Excel .xlsx)"),
        help_text=gettext_lazy("One row per person and role. At most 5 MB. Nothing is saved until you have seen the check."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it into smaller files and import each."))
        try:
            self.plan = check_file(upload.name, upload.read())
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        upload.seek(0)
        return upload


class ImportForm(forms.Form):
    checked = forms.CharField(widget=forms.HiddenInput)
    invite = forms.BooleanField(label=gettext_lazy("Send invitations to new people"), required=False, initial=True)
    reinvite = forms.BooleanField(
        label=gettext_lazy("Send a new invitation to people in the file who have never signed in"), required=False
    )


class ResendForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("Email addresses"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line. People who have already signed in are left out: they can reset their "
                               "password themselves."),
    )

    def clean_emails(self):
        emails = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        for number, email in enumerate(emails, start=1):
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(_("Line %(line)d: “%(email)s” is not an email address.")
                                            % {"line": number, "email": email}) from None
        return emails


def _stash(request, name, data):
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {
        "name": name, "sha256": digest, "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
    }
    return digest


def _unstash(request, digest):
    """The checked file's (name, bytes), if it is the one whose check the page showed."""
    stashed = request.session.get(SESSION_KEY)
    if not stashed or stashed.get("sha256") != digest:
        return None, None
    data = zlib.decompress(base64.b64decode(stashed["data"]))
    if hashlib.sha256(data).hexdigest() != digest:
        return None, None
    return stashed["name"], data


def _page(request, **context):
    context.setdefault("form", UploadForm())
    context.setdefault("resend_form", ResendForm(prefix="resend"))
    context.setdefault("columns", COLUMNS)
    context.setdefault("required_columns", REQUIRED_COLUMNS)
    context.setdefault("invitation_days", settings.INVITATION_DAYS)
    return render(request, "assurance/onboarding/import.html", context, status=context.pop("status", 200))


def _people_never_signed_in(plan):
    return invitations.never_signed_in(found[0] for found in plan.existing.people.values() if len(found) == 1)


@never_cache
@login_required
def network_import(request):
    require("import_network", request.user)
    if request.method != "POST":
        return _page(request)
    if "checked" in request.POST:
        return _import(request)
    if "resend-emails" in request.POST:
        return _resend(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    plan = form.plan
    digest = _stash(request, upload.name, upload.read())
    return _dry_run(request, upload.name, plan, digest)


def _dry_run(request, name, plan, digest, status=200):
    reinvitable = _people_never_signed_in(plan) if plan.existing else []
    import_form = ImportForm(initial={"checked": digest}) if plan.is_valid else None
    return _page(request, plan=plan, file_name=name, import_form=import_form, reinvitable=reinvitable,
                 status=status)


def _import(request):
    import_form = ImportForm(request.POST)
    name, data = (None, None)
    if import_form.is_valid():
        name, data = _unstash(request, import_form.cleaned_data["checked"])
    if data is None:
        form = UploadForm()
        form.errors["file"] = form.error_class([_("The checked file is no longer here, or another file was checked "
                                                  "since. Choose the file and check it again.")])
        return _page(request, form=form, status=400)
    try:
        outcome = import_file(name, data, actor=request.user)
    except FileProblem as problem:  # the same bytes were readable a moment ago; kept for safety
        form = UploadForm()
        form.errors["file"] = form.error_class([str(problem)])
        return _page(request, form=form, status=400)
    if not outcome.applied:
        return _dry_run(request, name, outcome.plan, import_form.cleaned_data["checked"], status=400)
    del request.session[SESSION_KEY]
    people = list(outcome.created_people) if import_form.cleaned_data["invite"] else []
    if import_form.cleaned_data["reinvite"]:
        people += _people_never_signed_in(outcome.plan)
    sent = invitations.invite(people, invited_by=request.user)
    messages.success(request, _summary(outcome.plan, sent))
    return redirect("network-import")


def _resend(request):
    form = ResendForm(request.POST, prefix="resend")
    if not form.is_valid():
        return _page(request, resend_form=form, status=400)
    emails = form.cleaned_data["emails"]
    people = invitations.people_to_reinvite(emails)
    sent = invitations.invite(people, invited_by=request.user)
    invited = {person.email.lower() for person in people}
    left_out = [email for email in emails if email.lower() not in invited]
    text = _invitations_sent(sent.sent)
    if left_out:
        text += " " + _("Not sent to %(emails)s: nobody here has that email, or they have already signed in.") % {
            "emails": ", ".join(left_out)}
    messages.success(request, text)
    return redirect("network-import")


def _invitations_sent(count):
    return ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", count) % {"count": count}


def _counted(count, one, many):
    return (ngettext(one, many, count) % {"count": count}) if count else ""


def _summary(plan, sent):
    added = [part for part in (
        _counted(len(plan.organisations), "%(count)d organisation", "%(count)d organisations"),
        _counted(len(plan.services), "%(count)d service", "%(count)d services"),
        _counted(len(plan.people), "%(count)d person", "%(count)d people"),
        _counted(len(plan.roles), "%(count)d role", "%(count)d roles"),
    ) if part]
    text = _("The file is imported: %(added)s added") % {"added": ", ".join(added) or _("nothing")}
    changes = len(plan.changes)
    text += "; " + (_counted(changes, "%(count)d change to existing records", "%(count)d changes to existing records")
                    or _("no changes to existing records")) + "."
    if sent.sent:
        text += " " + _invitations_sent(sent.sent)
    if sent.failed:
        text += " " + ngettext("%(count)d invitation could not be sent: send it again later.",
                               "%(count)d invitations could not be sent: send them again later.",
                               sent.failed) % {"count": sent.failed}
    return text


@login_required
def import_template(request):
    require("import_network", request.user)
    return FileResponse(open(EXAMPLE_FILE, "rb"), as_attachment=True, filename="network-import-example.csv",
                        content_type="text/csv; charset=utf-8")


REFUSALS = {
    "expired": gettext_lazy("This invitation has expired."),
    "used": gettext_lazy("This invitation has already been used."),
    "replaced": gettext_lazy("A newer invitation has been sent to you: use the link in the latest email."),
    "invalid": gettext_lazy("This invitation link is not valid. Check that you copied all of it."),
}


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def accept_invitation(request, token):
    try:
        invitation = invitations.invitation_for(token)
    except invitations.InvitationRefused as refused:
        status = 404 if refused.reason == "invalid" else 410
        return render(request, "assurance/onboarding/invitation_refused.html",
                      {"reason": refused.reason, "message": REFUSALS[refused.reason]}, status=status)
    person = invitation.user
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept(invitation, form)
        except invitations.InvitationRefused:
            return render(request, "assurance/onboarding/invitation_refused.html",
                          {"reason": "used", "message": REFUSALS["used"]}, status=410)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set and you are signed in. Your username is %(username)s.")
                         % {"username": person.username})
        return redirect("home")
    roles = Role.objects.filter(user=person).select_related("service")
    return render(request, "assurance/onboarding/accept.html",
                  {"person": person, "roles": roles, "form": form, "expires_on": invitations.expires_on(invitation)},
                  status=400 if form.errors else 200)
