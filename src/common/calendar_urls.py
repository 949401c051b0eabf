"""The unified calendar under /oobc-management/calendar/; the checklist fixes the feed path."""

from django.urls import path

from .views import calendar, subscriptions

app_name = "calendar"

urlpatterns = [
    path("", calendar.calendar_page, name="page"),
    path("work-items/feed/", calendar.feed, name="feed"),
    path("work-items/<id:pk>/panel/", calendar.panel, name="panel"),
    path("work-items/<id:pk>/reschedule/", calendar.reschedule, name="reschedule"),
    path("ics/<str:token>.ics", calendar.ics_feed, name="ics"),
    path("subscriptions/", subscriptions.subscription_list, name="subscriptions"),
    path("subscriptions/<id:pk>/revoke/", subscriptions.subscription_revoke, name="revoke"),
]
