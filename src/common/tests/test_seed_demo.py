"""The demo office has every type of work in a full hierarchy and loads only once."""

from io import StringIO

from django.core.management import call_command

from common.models import WorkItem
from common.tree import depth_of


def test_the_demo_office_has_all_six_levels_and_loads_once(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo password:" in out.getvalue()
    types = set(WorkItem.objects.values_list("work_type", flat=True))
    assert types == {"project", "sub_project", "activity", "sub_activity", "task", "subtask"}
    deepest = WorkItem.objects.filter(work_type="subtask").first()
    assert depth_of(deepest.pk) == 6
    assert WorkItem.objects.filter(details__venue__isnull=False, start_time__isnull=False).exists()
    dates = WorkItem.objects.exclude(due_date=None).values_list("due_date", flat=True)
    assert (max(dates) - min(dates)).days > 300
    count = WorkItem.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert WorkItem.objects.count() == count
