from django.urls import path

from . import views

app_name = "frontdesk"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("issue/", views.desk_issue, name="issue"),
    path("check-in/", views.desk_check_in, name="check_in"),
    path("window/", views.window_console, name="window"),
    path("window/<int:window_id>/call/", views.window_call, name="call"),
    path("tickets/<int:pk>/<str:action>/", views.ticket_act, name="act"),
    path("appointments/", views.appointments, name="appointments"),
    path("statistics/", views.statistics, name="statistics"),
    path("services/", views.hall_services, name="services"),
]
