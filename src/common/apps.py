"""The WorkItem domain app (its label `common` is fixed by the deployment checklist)."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Work items"
