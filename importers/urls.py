from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<uuid:job_id>/", views.job_detail, name="job"),
    path("import/<uuid:job_id>/status/", views.job_status, name="job_status"),
    path("<str:slug>/export/", views.tree_export, name="export"),
]
