from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/day/", views.calendar_day_edit, name="calendar_day"),
    path("calendar/year/", views.calendar_year_upload, name="calendar_year"),
    path("audit/", views.audit_page, name="audit"),
]
