from django.urls import include, path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("<str:number>/", views.case_page, name="case"),
    path("<str:number>/act/<str:action>/", views.case_act, name="act"),
    path("", include("servicehall.cases.urls_documents")),
]
