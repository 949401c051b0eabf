from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Board, timeline, dependencies and scheduling, working days and saved views.

    Reads work items through the permission module and the query layer; every change of an item
    goes through `common.services`, so rules, locking, history and roll-up apply as everywhere.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = "Planning"
