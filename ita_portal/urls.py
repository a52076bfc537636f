from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ops.views import healthz

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("units.urls")),
    path("", include("oit_items.urls")),
    path("", include("work.urls")),
    path("", include("work.public_urls")),
    path("", include("packs.urls")),
    path("", include("measures.urls")),
    path("", include("calendar_app.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "ITA Portal"
admin.site.site_title = "ITA Portal"
