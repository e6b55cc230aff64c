from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<uuid:job_id>/", views.job_detail, name="job"),
    path("import/<uuid:job_id>/status/", views.job_status, name="job_status"),
    path("<str:slug>/export/", views.tree_export, name="export"),
    path("<str:slug>/export/<uuid:job_id>/", views.export_job_detail, name="export_job"),
    path(
        "<str:slug>/export/<uuid:job_id>/status/",
        views.export_job_status,
        name="export_job_status",
    ),
    path(
        "<str:slug>/export/<uuid:job_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
