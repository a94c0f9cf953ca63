from django.urls import path

from reviews.cycles import views

urlpatterns = [
    path("open/", views.cycle_open, name="cycle-open"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
]
