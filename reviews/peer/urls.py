from django.urls import path

import reviews.converters  # noqa: F401 - registers the "step" converter
from reviews.peer.views import accuracy, agreeing, decision, findings, ratings, reviewers, visit

urlpatterns = [
    path("conflicts-of-interest/", visit.conflicts, name="conflicts"),
    path("reviewers/", reviewers.reviewer_list, name="reviewers"),
    path("reviewers/<int:user_pk>/", reviewers.reviewer_detail, name="reviewer"),
    path("reviewers/reciprocity/", reviewers.reciprocity, name="reciprocity"),
    path("your-reviewer-record/", reviewers.own_record, name="reviewer-record"),
    path("<int:pk>/visit/", visit.visit, name="visit"),
    path("<int:pk>/visit/visit.ics", visit.visit_ics, name="visit-ics"),
    path("<int:pk>/review/", ratings.review, name="review"),
    path("<int:pk>/review/quick/", ratings.review_quick, name="review-quick"),
    path("<int:pk>/review/<step:value_code>/", ratings.review_value, name="review-value"),
    path("<int:pk>/agree/", agreeing.agreement, name="agreement"),
    path("<int:pk>/agree/value/<step:value_code>/", agreeing.agree_value_page, name="agree-value"),
    path("<int:pk>/agree/<step:code>/", agreeing.agree_criterion, name="agree-criterion"),
    path("<int:pk>/findings/", findings.findings, name="findings"),
    path("<int:pk>/actions/<int:action_pk>/", findings.action_detail, name="action"),
    path("<int:pk>/accuracy/", accuracy.accuracy, name="accuracy"),
    path("<int:pk>/feedback/", decision.feedback, name="feedback"),
]
