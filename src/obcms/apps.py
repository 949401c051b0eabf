"""App config that registers the project-wide system checks."""

from django.apps import AppConfig


class ObcmsConfig(AppConfig):
    name = "obcms"
    verbose_name = "OBCMS Work"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
