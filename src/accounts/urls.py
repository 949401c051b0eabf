"""Addresses of the People and Profile pages, joining by invitation and password reset."""

from django.urls import path

from .views import joining, people, profile

app_name = "accounts"

urlpatterns = [
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/<id:pk>/role/", people.change_role, name="change_role"),
    path("people/<id:pk>/deactivate/", people.deactivate, name="deactivate"),
    path("people/<id:pk>/reactivate/", people.reactivate, name="reactivate"),
    path("people/invitations/<id:pk>/resend/", people.resend_invitation, name="resend_invitation"),
    path(
        "people/invitations/<id:pk>/withdraw/",
        people.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("accounts/profile/", profile.profile, name="profile"),
    path(
        "accounts/profile/notifications/",
        profile.notification_settings,
        name="notification_settings",
    ),
    path("accounts/profile/tokens/", profile.create_token, name="create_token"),
    path("accounts/profile/tokens/<id:pk>/revoke/", profile.revoke_token, name="revoke_token"),
    path("accounts/invitation/<str:token>/", joining.accept_invitation, name="accept"),
    path("accounts/password/reset/", joining.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        joining.auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/done/",
        joining.auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        joining.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
