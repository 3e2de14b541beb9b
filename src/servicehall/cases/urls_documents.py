"""The case documents, included under /staff/cases/."""

from django.urls import path

from . import views_documents

app_name = "case_documents"

urlpatterns = [
    path("<str:number>/notice.pdf", views_documents.case_notice, name="notice"),
]
