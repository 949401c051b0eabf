from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Dashboards and reports: reads work items through the permission module, writes nothing."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
