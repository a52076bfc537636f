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
    path("me/language/", views.language, name="language"),
]
