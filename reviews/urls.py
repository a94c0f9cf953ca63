"""The pages of a review cycle, under the `reviews:` namespace, each stage with its own urls.py
(reports have their own namespace, `reports:`, in reviews/reports/urls.py)."""

from reviews.cycles.urls import urlpatterns as cycle_pages
from reviews.decisions.urls import urlpatterns as decision_pages
from reviews.members.urls import urlpatterns as members_pages
from reviews.notices.urls import urlpatterns as notice_pages
from reviews.peer.urls import urlpatterns as peer_review_pages
from reviews.selfassessment.urls import urlpatterns as self_assessment_pages

app_name = "reviews"
urlpatterns = cycle_pages + self_assessment_pages + members_pages + peer_review_pages + decision_pages + notice_pages
