"""Every model has an admin page, and a network administrator can open each list, add form and
change page; stored files are shown through the pages that check permission, never as a public URL."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews.models import Evidence, Report, ReportKind
from tests.factories import CycleFactory, EditionFactory, ReportFactory, ServiceFactory, factories_by_model
from tests.support.documents import download
from tests.support.evidence import download_evidence, download_url, file_item, pdf_bytes
from tests.support.reviews import PeerReview

SIGN_IN = "/accounts/sign-in/"

pytestmark = pytest.mark.django_db


def admin_pages():
    for model in admin.site._registry:
        meta = model._meta
        yield pytest.param(meta.app_label, meta.model_name, id=f"{meta.app_label}.{meta.model_name}")


@pytest.mark.parametrize(("app_label", "model_name"), list(admin_pages()))
def test_admin_list_and_add_pages_open_for_network_admin(personas, client_for, app_label, model_name):
    PeerReview(personas).to("ratings_agreed")  # something in most lists
    client = client_for(personas.admin)

    listing = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    adding = client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert listing.status_code == 200
    assert adding.status_code in (200, 403)


# Members' responses are never shown to anyone, so they have no admin page (reviews/admin.py).
KEPT_OUT = {"memberresponse", "memberresponseanswer", "memberparticipation"}


def test_every_model_of_our_apps_has_an_admin_page_but_members_responses():
    ours = {m for app in ("assurance", "standards", "reviews") for m in apps.get_app_config(app).get_models()}
    assert {m._meta.model_name for m in ours - set(admin.site._registry)} == KEPT_OUT


def test_no_admin_page_shows_a_members_response(personas, client_for):
    client = client_for(personas.admin)
    for model_name in KEPT_OUT:
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:reviews_{model_name}_changelist")
    assert client.get("/admin/reviews/memberresponse/").status_code == 404


def test_audit_log_entries_cannot_be_deleted_in_the_admin(personas, client_for):

    PeerReview(personas).to("visit")
    entry = LogEntry.objects.first()
    client = client_for(personas.admin)

    response = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


# --- change pages -------------------------------------------------------------------------------


def stored_evidence(personas):
    """A file really uploaded and stored, as a member of staff adds one."""
    return file_item(CycleFactory(service=personas.home), personas.staff)


def stored_report(personas, kind=ReportKind.SERVICE, final=True):
    """A report record with its PDF stored, as building one leaves it."""
    fields = {"kind": kind, "is_final": final, "version": 1 if final else 0}
    if kind == ReportKind.NETWORK:
        fields.update(cycle=None, edition=EditionFactory(), year=2026, requested_by=personas.admin)
    elif kind == ReportKind.PORTFOLIO:
        fields.update(cycle=None, owner=personas.commissioner, requested_by=personas.commissioner)
    report = ReportFactory(**fields)
    report.keep_pdf(pdf_bytes(), 1)
    report.save()
    return report


def _sign_in_records(personas):
    """A wrong password (an attempt and a failure logged) and a right one (a sign-in logged)."""
    browser = Client()
    browser.post(SIGN_IN, {"username": "lead", "password": "not-the-password"})
    browser.post(SIGN_IN, {"username": "staff", "password": personas.password})


def _axes_record(model):
    def make(personas):
        _sign_in_records(personas)
        return model.objects.first()

    return make


def _failure_log(personas):
    """The log django-axes keeps when AXES_ENABLE_ACCESS_FAILURE_LOG is on (it is off here)."""
    return AccessFailureLog.objects.create(
        username="lead", ip_address="203.0.113.66", user_agent="Firefox", http_accept="*/*",
        path_info=SIGN_IN, locked_out=False,
    )


def _audit_entry(personas):
    ServiceFactory(name="Audited Hall")
    return LogEntry.objects.first()


def _task_result(personas):
    return DBTaskResult.objects.create(
        task_path="reviews.reports.tasks.build_report", args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default", run_after=timezone.now(),
    )


# How each registered model gets one row: our own models from their factories (files really
# stored), the other apps' rows the way the site makes them.
MAKERS = {
    Evidence: stored_evidence,
    Report: stored_report,
    AccessAttempt: _axes_record(AccessAttempt),
    AccessFailureLog: _failure_log,
    AccessLog: _axes_record(AccessLog),
    LogEntry: _audit_entry,
    DBTaskResult: _task_result,
}


def one_of(model, personas):
    if model in MAKERS:
        return MAKERS[model](personas)
    return factories_by_model()[model]()


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_admin_change_page_opens_for_network_admin(personas, client_for, media_root, model):
    instance = one_of(model, personas)
    assert instance is not None, f"no {model._meta.label} was made"
    meta = model._meta

    response = client_for(personas.admin).get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk]))

    assert response.status_code == 200


def test_every_registered_model_can_be_made_for_its_change_page():
    assert [model for model in admin.site._registry if model not in MAKERS and model not in factories_by_model()] == []


def _has_no_file_widget(html, stored_name):
    """Django's own file widget shows "Currently: <a href=(public URL)>(storage path)</a>" and a file input."""
    return 'type="file"' not in html and 'class="file-upload"' not in html and stored_name not in html


def test_admin_evidence_change_page_links_to_the_download_page_that_checks_permission(personas, client_for, media_root):
    item = stored_evidence(personas)

    response = client_for(personas.admin).get(reverse("admin:reviews_evidence_change", args=[item.pk]))

    html = response.content.decode()
    assert f'<a href="{download_url(item)}">minutes.txt</a>' in html
    assert _has_no_file_widget(html, item.file.name)


def test_admin_evidence_file_link_opens_the_file_for_network_admin(personas, client_for, media_root):
    item = stored_evidence(personas)

    status, body, _response = download_evidence(client_for(personas.admin), item)

    assert (status, body) == (200, b"Minutes of the meeting.\n")


REPORT_LINKS = [
    pytest.param(ReportKind.SERVICE, False, lambda r: reverse("reports:report-pdf", args=[r.cycle_id]), id="draft"),
    pytest.param(ReportKind.SERVICE, True, lambda r: reverse("reports:report-final", args=[r.cycle_id, 1]), id="final"),
    pytest.param(ReportKind.NETWORK, False, lambda r: reverse("reports:report-download", args=[r.pk]), id="network"),
    pytest.param(ReportKind.PORTFOLIO, False, lambda r: reverse("reports:report-download", args=[r.pk]), id="portfolio"),
]


@pytest.mark.parametrize(("kind", "final", "address"), REPORT_LINKS)
def test_admin_report_change_page_links_to_the_pdf_page_that_checks_permission(
    personas, client_for, media_root, kind, final, address
):
    report = stored_report(personas, kind, final)

    response = client_for(personas.admin).get(reverse("admin:reviews_report_change", args=[report.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{address(report)}">Open the PDF</a>' in html
    assert _has_no_file_widget(html, report.file.name)


def test_admin_network_report_link_opens_the_stored_pdf_for_network_admin(personas, client_for, media_root):
    report = stored_report(personas, ReportKind.NETWORK, final=False)

    response, body = download(client_for(personas.admin), reverse("reports:report-download", args=[report.pk]))

    assert (response.status_code, body) == (200, pdf_bytes())
