import pytest

from testing.builders import item


@pytest.fixture
def consultation(cast):
    """An office activity under a project, assigned to the staff member."""
    project = item("project", "Education support", organization=cast.office, actor=cast.manager)
    return item(
        "activity",
        "Provincial consultation",
        parent=project,
        actor=cast.manager,
        assignees=[cast.staff],
    )
