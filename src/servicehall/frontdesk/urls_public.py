from django.urls import path

from . import views_public as views

app_name = "hall"
urlpatterns = [
    path("<str:center>/kiosk/", views.kiosk, name="kiosk"),
    path("<str:center>/kiosk/take/", views.kiosk_take, name="kiosk_take"),
    path("<str:center>/kiosk/check-in/", views.kiosk_check_in, name="kiosk_check_in"),
    path("<str:center>/kiosk/ticket/<str:token>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("<str:center>/screen/", views.screen, name="screen"),
    path("<str:center>/screen/events", views.screen_events, name="screen_events"),
    path("<str:center>/window/<str:number>/", views.window_led, name="window_led"),
    path("<str:center>/wait/", views.wait_board, name="wait"),
    path("<str:center>/self-service/", views.self_service, name="self_service"),
    path("<str:center>/self-service/receipt.pdf", views.self_service_receipt,
         name="self_service_receipt"),
    path("<str:center>/book/", views.book, name="book"),
    path("<str:center>/book/<str:reference>/", views.booked, name="booked"),
    path("<str:center>/book/<str:reference>/cancel/", views.booked_cancel,
         name="booked_cancel"),
]
