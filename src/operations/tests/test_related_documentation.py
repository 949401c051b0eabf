"""The checklist's "Related Documentation" links lead to pages that exist and say something."""

from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.REPO_DIR)
#: As the checklist links them (its own folder is docs/deployment/).
LINKS = [
    "WORKITEM_MIGRATION_COMPLETE.md",
    "docs/refactor/LEGACY_CODE_DEPRECATION_PLAN.md",
    "docs/guidelines/EVENT_VS_WORKITEM_ACTIVITY.md",
    "docs/deployment/POSTGRESQL_MIGRATION_SUMMARY.md",
    "docs/env/staging-complete.md",
]


@pytest.mark.parametrize("link", LINKS)
def test_each_related_document_exists_with_a_title_and_content(link):
    page = REPO / link
    assert page.is_file(), link
    text = page.read_text()
    assert text.startswith("# ")
    assert len(text.split()) > 150


@pytest.mark.parametrize("link", LINKS)
def test_links_inside_the_documents_lead_somewhere(link):
    import re

    page = REPO / link
    for target in re.findall(r"\]\(([^)#]+)\)", page.read_text()):
        if target.startswith("http"):
            continue
        assert (page.parent / target).resolve().exists(), (link, target)


def test_the_deprecation_plan_quotes_the_contract_the_build_enforces():
    plan = (REPO / LINKS[1]).read_text()
    contract = (REPO / "pyproject.toml").read_text()
    assert 'forbidden_modules = ["legacy"]' in plan and 'forbidden_modules = ["legacy"]' in contract
