from django.urls import path

from . import views

app_name = "guide"
urlpatterns = [
    path("", views.guide_index, name="index"),
    path("search/", views.guide_search, name="search"),
    path("themes/<int:theme_id>/", views.guide_theme, name="theme"),
    path("departments/<str:code>/", views.guide_department, name="department"),
    path("items/<str:code>/", views.guide_item, name="item"),
    path("forms/<int:material_id>/", views.guide_form_download, name="form_download"),
]
