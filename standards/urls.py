from django.urls import path

from standards import views

app_name = "standards"
urlpatterns = [
    path("", views.index, name="index"),
    path("load/", views.upload, name="upload"),
    path("<slug:framework>/compare/", views.compare, name="compare"),
    path("<slug:framework>/<str:version>/", views.edition_detail, name="edition"),
    path("<slug:framework>/<str:version>/export.yaml", views.export, name="export"),
]
