"""Research pages of a family tree, mounted under /<language>/trees/ after the importer's."""

from django.urls import path

from . import views

app_name = "genealogy"

urlpatterns = [
    path("<str:slug>/", views.tree_detail, name="tree"),
    path("<str:slug>/relationship/", views.relationship, name="relationship"),
    path("<str:slug>/members/", views.tree_members, name="members"),
    path("<str:slug>/xref/<str:xref>/", views.xref_redirect, name="xref"),
    path("<str:slug>/people/<str:public_id>/", views.person_detail, name="person"),
    path("<str:slug>/people/<str:public_id>/charts/<str:kind>/", views.chart, name="chart"),
    path("<str:slug>/families/<str:public_id>/", views.family_detail, name="family"),
    path("<str:slug>/places/<str:public_id>/", views.place_detail, name="place"),
    path("<str:slug>/sources/<str:public_id>/", views.source_detail, name="source"),
]
