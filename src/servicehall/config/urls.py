from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views
from .api import api

admin.site.site_header = admin.site.site_title = views.ADMIN_TITLE
admin.site.index_title = views.ADMIN_INDEX_TITLE

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api_docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("guide/", include("servicehall.catalog.urls_public")),
    path("progress/", include("servicehall.cases.urls_public")),
    path("my/", include("servicehall.portal.urls")),
    path("staff/catalog/", include("servicehall.catalog.urls")),
    path("staff/cases/", include("servicehall.cases.urls")),
    path("staff/frontdesk/", include("servicehall.frontdesk.urls")),
    path("hall/", include("servicehall.frontdesk.urls_public")),
    path("staff/stats/", include("servicehall.stats.urls")),
    path("staff/supervision/", include("servicehall.supervision.urls")),
    path("staff/online/", include("servicehall.online.urls_staff")),
    path("staff/", include("servicehall.core.urls")),
    path("my/", include("servicehall.online.urls")),
    path("", include("servicehall.accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
]

handler404 = "servicehall.config.views.not_found"
handler500 = "servicehall.config.views.server_error"
