from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("items/", views.staff_items, name="staff_items"),
    path("items/<str:code>/edit/", views.staff_item_edit, name="staff_item_edit"),
    path("items/<str:code>/history/", views.staff_item_history, name="staff_item_history"),
    path("departments/", views.staff_departments, name="staff_departments"),
    path("import/", views.staff_import, name="staff_import"),
    path("export.xlsx", views.staff_export, name="staff_export"),
    path("guide/", views.guide_redirect, name="guide"),
]
