"""The pre-review desk, included under /staff/online/."""

from django.urls import path

from . import views, views_staff

app_name = "online_staff"
urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("<int:pk>/", views_staff.review_page, name="review"),
    path("<int:pk>/pre-accept/", views_staff.pre_accept, name="pre_accept"),
    path("<int:pk>/supplement/", views_staff.request_supplement, name="supplement"),
    path("<int:pk>/reject/", views_staff.reject, name="reject"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
]
