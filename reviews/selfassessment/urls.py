from django.urls import path

import reviews.converters  # noqa: F401 - registers the "perspective" and "step" converters
from reviews.selfassessment import views, wizard

answer_wizard = wizard.AnswerWizard.as_view(url_name="reviews:answer-step", done_step_name="finished")

urlpatterns = [
    path("<int:pk>/reopen/", views.cycle_reopen, name="cycle-reopen"),
    # Members answer the questionnaire now: their old addresses lead there.
    path("<int:pk>/self-assessment/members/", views.members_moved, name="members-self-assessment-moved"),
    path("<int:pk>/self-assessment/members/<path:rest>", views.members_moved, name="members-step-moved"),
    path("<int:pk>/answers/members/", views.members_moved, name="members-answers-moved"),
    path("<int:pk>/self-assessment/<perspective:perspective>/", views.hub, name="hub"),
    path("<int:pk>/self-assessment/<perspective:perspective>/step/<step:step>/", answer_wizard, name="answer-step"),
    path(
        "<int:pk>/self-assessment/<perspective:perspective>/step/<step:step>/autosave/",
        wizard.autosave,
        name="autosave",
    ),
    path("<int:pk>/answers/<perspective:perspective>/", views.answers, name="answers"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/download/", views.evidence_download, name="evidence-download"),
]
