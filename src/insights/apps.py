from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Dashboards and reports: reads work items through the permission module, writes nothing."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"

    def ready(self) -> None:
        from common import extensions

        extensions.register_detail_action(
            extensions.DetailAction(key="report", label="Report", url_name="insights_report:page")
        )
