"""Nothing outside the `legacy` app imports it ("0 legacy imports in active code")."""

from legacy.imports import legacy_imports


def test_no_module_outside_legacy_imports_it():
    assert legacy_imports() == []


def test_an_import_outside_legacy_is_found(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "views.py").write_text("import os\nfrom legacy.models import Event\n")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "inside.py").write_text("from legacy import models\n")
    assert legacy_imports(tmp_path) == ["reports/views.py:2"]


def test_test_code_is_not_active_code(tmp_path):
    for folder in ("testing", "reports/tests"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "fixtures.py").write_text("from legacy.models import OutboxEntry\n")
    (tmp_path / "conftest.py").write_text("import legacy\n")
    (tmp_path / "reports" / "views.py").write_text("import legacy\n")
    assert legacy_imports(tmp_path) == ["reports/views.py:1"]
