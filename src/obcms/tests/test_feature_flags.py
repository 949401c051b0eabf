"""The cut-over flags: one helper, system checks, and the checklist's verification script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from obcms.flags import all_flags, differences_from_production, flag

SRC = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "USE_WORKITEM_MODEL": True,
    "USE_UNIFIED_CALENDAR": True,
    "DUAL_WRITE_ENABLED": False,
    "LEGACY_MODELS_READONLY": True,
}
CHECKLIST_OUTPUT = """WorkItem Feature Flags Configuration
============================================================

Current Configuration:
✅ USE_WORKITEM_MODEL: True
✅ USE_UNIFIED_CALENDAR: True
✅ DUAL_WRITE_ENABLED: False
✅ LEGACY_MODELS_READONLY: True

============================================================
✅ All feature flags correctly configured for production
"""


def run_script(**flags: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "s" * 60,
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_SETTINGS_MODULE": "obcms.settings",
            **flags,
        }
    )
    return subprocess.run(
        [sys.executable, "scripts/test_feature_flags.py"],
        cwd=SRC,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_defaults_are_the_production_values():
    assert all_flags() == PRODUCTION


def test_an_unknown_flag_name_is_a_programming_error():
    with pytest.raises(KeyError):
        flag("USE_MAGIC")


def test_the_script_prints_exactly_what_the_checklist_expects():
    result = run_script(
        USE_WORKITEM_MODEL="1",
        USE_UNIFIED_CALENDAR="1",
        DUAL_WRITE_ENABLED="0",
        LEGACY_MODELS_READONLY="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == CHECKLIST_OUTPUT


def test_the_script_names_each_wrong_flag_and_fails():
    result = run_script(
        USE_UNIFIED_CALENDAR="0", DUAL_WRITE_ENABLED="1", LEGACY_MODELS_READONLY="0"
    )
    assert result.returncode == 1
    assert "⚠️ USE_UNIFIED_CALENDAR: False (expected True)" in result.stdout
    assert "⚠️ DUAL_WRITE_ENABLED: True (expected False)" in result.stdout
    assert "✅ USE_WORKITEM_MODEL: True" in result.stdout
    assert result.stdout.rstrip().endswith(
        "⚠️ 3 feature flags differ from the production configuration"
    )


def test_the_script_needs_no_test_tools():
    source = (SRC / "scripts" / "test_feature_flags.py").read_text()
    assert "pytest" not in source


@override_settings(FEATURE_FLAGS={**PRODUCTION, "DUAL_WRITE_ENABLED": True})
def test_dual_write_with_read_only_legacy_tables_is_a_system_check_error():
    errors = [m for m in checks.run_checks(tags=["obcms"]) if m.id == "obcms.E001"]
    assert len(errors) == 1
    assert errors[0].level == checks.ERROR


@override_settings(FEATURE_FLAGS={**PRODUCTION, "LEGACY_MODELS_READONLY": False})
def test_deploy_checks_warn_about_each_non_production_flag():
    warnings = [
        m
        for m in checks.run_checks(include_deployment_checks=True, tags=["obcms"])
        if m.id == "obcms.W001"
    ]
    assert [w.msg for w in warnings] == [
        "LEGACY_MODELS_READONLY is False; production expects True."
    ]
    assert differences_from_production() == {"LEGACY_MODELS_READONLY": (False, True)}


def test_production_flags_raise_no_flag_warnings():
    assert not [
        m
        for m in checks.run_checks(include_deployment_checks=True, tags=["obcms"])
        if m.id.startswith("obcms.")
    ]
