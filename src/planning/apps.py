from django.apps import AppConfig
from django.db.models.signals import post_save


class PlanningConfig(AppConfig):
    """Board, timeline, dependencies and scheduling, working days and saved views.

    Reads work items through the permission module and the query layer; every change of an item
    goes through `common.services`, so rules, locking, history and roll-up apply as everywhere.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        from accounts.models import Organization
        from common import extensions
        from common import working_days as common_working_days

        from . import working_days

        common_working_days.set_loader(working_days.load)
        post_save.connect(
            working_days.seed_organization,
            sender=Organization,
            dispatch_uid="planning.seed_organization_holidays",
        )
        # Dependencies and the scheduling mode, seen and changed on the item's own page.
        extensions.register_detail_section(
            extensions.DetailSection(
                key="schedule",
                title="Schedule",
                url_name="planning:schedule",
                scripts=("js/schedule.js",),
            )
        )
