from django.urls import path, register_converter

from reviews import peer_views, report_views, views


class TextConverter:
    """A path segment matching a pattern, passed on as text."""

    regex = None

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def text_converter(name, pattern):
    register_converter(type(f"{name.title()}Converter", (TextConverter,), {"regex": pattern}), name)


text_converter("perspective", "staff|members")
text_converter("step", r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")  # a value's code, or "check"
text_converter("format", "csv|json")

app_name = "reviews"
answer_wizard = views.AnswerWizard.as_view(url_name="reviews:answer-step", done_step_name="finished")

urlpatterns = [
    path("open/", views.cycle_open, name="cycle-open"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/reopen/", views.cycle_reopen, name="cycle-reopen"),
    path("<int:pk>/self-assessment/<perspective:perspective>/", views.hub, name="hub"),
    path("<int:pk>/self-assessment/<perspective:perspective>/step/<step:step>/", answer_wizard, name="answer-step"),
    path(
        "<int:pk>/self-assessment/<perspective:perspective>/step/<step:step>/autosave/",
        views.autosave,
        name="autosave",
    ),
    path("<int:pk>/answers/<perspective:perspective>/", views.answers, name="answers"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/download/", views.evidence_download, name="evidence-download"),
]

# The peer review.
urlpatterns += [
    path("conflicts-of-interest/", peer_views.conflicts, name="conflicts"),
    path("<int:pk>/visit/", peer_views.visit, name="visit"),
    path("<int:pk>/review/", peer_views.review, name="review"),
    path("<int:pk>/review/<step:value_code>/", peer_views.review_value, name="review-value"),
    path("<int:pk>/agree/", peer_views.agreement, name="agreement"),
    path("<int:pk>/agree/<step:code>/", peer_views.agree_criterion, name="agree-criterion"),
    path("<int:pk>/findings/", peer_views.findings, name="findings"),
    path("<int:pk>/actions/<int:action_pk>/", peer_views.action_detail, name="action"),
    path("<int:pk>/accuracy/", peer_views.accuracy, name="accuracy"),
    path("<int:pk>/decision/", peer_views.decision, name="decision"),
    path("<int:pk>/feedback/", peer_views.feedback, name="feedback"),
]

# Reports and exports.
urlpatterns += [
    path("<int:pk>/report/", report_views.service_report, name="report"),
    path("<int:pk>/report/draft.pdf", report_views.service_report_pdf, name="report-pdf"),
    path("<int:pk>/report/v<int:version>.pdf", report_views.final_report_pdf, name="report-final"),
    path("<int:pk>/report/issue/", report_views.issue_report, name="report-issue"),
    path("<int:pk>/export.<format:fmt>", report_views.cycle_export, name="cycle-export"),
]
