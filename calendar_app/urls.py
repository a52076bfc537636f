from django.urls import path

from . import views

app_name = "calendar_app"

urlpatterns = [
    path("calendar/", views.month_view, name="month"),
    path("calendar/events/new/", views.event_new, name="event_new"),
    path("calendar/feeds/", views.feeds, name="feeds"),
    path("calendar/feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/ical/<str:token>.ics", views.ical, name="ical"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/line/link/", views.line_link, name="line_link"),
    path("notifications/line/webhook/", views.line_webhook, name="line_webhook"),
]
