"""Top-level URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter

from accounts.login import admin_login_view, login_view
from common.views.home import home
from obcms.ids import IdConverter

register_converter(IdConverter, "id")


def favicon(request):
    """Browsers ask for /favicon.ico; the icon is a hashed static file (resolved per request,
    so importing the URLs never needs collectstatic's manifest)."""
    return redirect(static("favicon.svg"), permanent=False)


admin.site.site_header = "OBCMS Work administration"
admin.site.site_title = "OBCMS Work"
admin.site.index_title = "Administration"

urlpatterns = [
    path("favicon.ico", favicon),
    path("", home, name="home"),
    path("accounts/login/", login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # People (managers), Profile, joining by invitation, password reset by e-mail.
    path("", include("accounts.urls")),
    path("oobc-management/work-items/", include("insights.report_urls")),
    path("oobc-management/work-items/", include("collaboration.urls")),
    path("oobc-management/work-items/", include("common.urls")),
    path("oobc-management/calendar/", include("common.calendar_urls")),
    path("oobc-management/dashboard/", include("insights.urls")),
    path("oobc-management/", include("planning.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("operations.urls")),
    path("integrations/", include("integrations.urls")),
    path("api/v1/", include("collaboration.api_urls")),
    path("api/v1/", include("integrations.api_urls")),
    path("api/v1/", include("planning.api_urls")),
    path("api/v1/", include("planning.saved_views_api_urls")),
    path("api/", include("common.api.urls")),
    # The admin's login page with the same sign-in throttle (before the admin's own route).
    path("admin/login/", admin_login_view),
    path("admin/", admin.site.urls),
]
