from django.urls import path

from servicehall.accounts.choices import ApplicantKind

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("register/", views.register, name="register"),
    path("register/enterprise/", views.register, {"kind": ApplicantKind.ENTERPRISE},
         name="register_enterprise"),
    path("profile/", views.profile, name="profile"),
    path("profile/agents/<int:pk>/withdraw/", views.agent_remove, name="agent_remove"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/documents/<str:kind>.pdf", views.case_document,
         name="case_document"),
    path("display/", views.display_mode, name="display_mode"),
]
