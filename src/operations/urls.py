from django.urls import path

from . import health, views

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("operations/performance/", views.performance, name="performance"),
    path("feedback/", views.feedback, name="feedback"),
]
