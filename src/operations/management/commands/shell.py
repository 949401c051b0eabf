"""`manage.py shell`, quiet about its automatic imports when running a `-c` command.

Scripts and checklists such as `python manage.py shell -c "...print(...)"` then print only what
the command prints.
"""

from django.core.management.commands.shell import Command as DjangoShell


class Command(DjangoShell):
    def get_namespace(self, **options):
        if options.get("command"):
            options = {**options, "verbosity": 0}
        return super().get_namespace(**options)
