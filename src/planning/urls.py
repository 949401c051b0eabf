"""Planning pages under /oobc-management/: board, timeline, saved views."""

from django.urls import path

app_name = "planning"

urlpatterns: list = []
