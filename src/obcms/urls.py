"""Top-level URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter

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
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("oobc-management/work-items/", include("common.urls")),
    path("oobc-management/calendar/", include("common.calendar_urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("operations.urls")),
    path("api/", include("common.api.urls")),
    path("admin/", admin.site.urls),
]
