"""The applicant's pages, included under /my/."""

from django.urls import path

from . import views

app_name = "online"
urlpatterns = [
    path("applications/", views.my_applications, name="mine"),
    path("apply/<str:code>/", views.apply_start, name="apply"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/files/", views.file_upload, name="upload"),
    path("applications/<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
    path("applications/<int:pk>/files/<int:file_pk>/remove/", views.file_remove,
         name="file_remove"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/receipt.pdf", views.receipt, name="receipt"),
]
