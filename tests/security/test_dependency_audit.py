"""make quality's dependency audit: what it makes of pip-audit's answers."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer(monkeypatch, *dependencies):
    output = json.dumps({"dependencies": list(dependencies), "fixes": []})
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 1, stdout=output, stderr=""),
    )


DJANGO_VULNERABLE = {
    "name": "django",
    "version": "5.2.0",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
}
UNREACHABLE = {"name": "asgiref", "version": "3.8.1", "skip_reason": "Dependency not found"}
CLEAN = {"name": "pytest", "version": "8.4.2", "vulns": []}


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix(audit, monkeypatch, capsys):
    answer(monkeypatch, DJANGO_VULNERABLE, CLEAN)
    assert audit.main() == 1
    assert "VULNÉRABLE django 5.2.0 : PYSEC-2025-1 (corrigé en 5.2.1)" in capsys.readouterr().out


def test_packages_left_unaudited_are_reported_without_failing(audit, monkeypatch, capsys):
    answer(monkeypatch, UNREACHABLE, CLEAN)
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "1 paquets vérifiés, 0 vulnérable(s), 1 non vérifiés." in out
    assert "ATTENTION" in out


def test_packages_left_unaudited_fail_a_strict_audit(audit, monkeypatch):
    monkeypatch.setattr(audit, "STRICT", True)
    answer(monkeypatch, UNREACHABLE, CLEAN)
    assert audit.main() == 1


def test_a_silent_pip_audit_does_not_hang_the_build(audit, monkeypatch):
    def too_long(*args, **kwargs):
        raise subprocess.TimeoutExpired(args, 300)

    monkeypatch.setattr(subprocess, "run", too_long)
    assert audit.main() == 0
