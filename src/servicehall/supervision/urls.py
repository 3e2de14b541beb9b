from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("export.xlsx", views.export, name="export"),
    path("cards/<int:pk>/", views.card_page, name="card"),
    path("cards/<int:pk>/respond/", views.card_respond, name="card_respond"),
    path("cards/<int:pk>/close/", views.card_close, name="card_close"),
    path("cards/<int:pk>/letter.pdf", views.card_letter, name="card_letter"),
    path("findings/<int:pk>/review/", views.finding_review, name="finding_review"),
]
