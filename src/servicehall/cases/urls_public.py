from django.urls import path

from . import views_public

app_name = "progress"
urlpatterns = [
    path("", views_public.progress, name="lookup"),
    path("<str:number>/", views_public.progress, name="case"),
]
