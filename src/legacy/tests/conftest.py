import pytest
from django.core.management import call_command

from legacy.sources import EVENTS, PROJECTS, TASKS

from .oldsystem import OfficeHistory

OFFICE = "Office for Other Bangsamoro Communities"


@pytest.fixture
def history(cast):
    """The cast of people here, and the old system's records of the same office."""
    return OfficeHistory()


@pytest.fixture
def migrated(history):
    call_command("migrate_to_workitem", organization=OFFICE, stdout=_Sink())
    return history


@pytest.fixture
def item_of():
    from common.models import WorkItem

    def find(row):
        source = {"StaffTask": TASKS, "Event": EVENTS, "ProjectWorkflow": PROJECTS}[
            type(row).__name__
        ]
        return WorkItem.objects.get(legacy_source=source, legacy_id=str(row.pk))

    return find


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
