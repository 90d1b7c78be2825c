"""make quality: known vulnerabilities of the installed packages (pip-audit).

Fails on any known vulnerability. pip-audit asks PyPI's JSON API about each
package; when that answer cannot be had (no network, a mirror without the API),
the packages are "not audited": this script says how many, loudly, and fails
only if AUDIT_STRICT=true — a build must not hang or fail for want of network,
nor pass silently as if it had checked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
STRICT = os.environ.get("AUDIT_STRICT", "").lower() == "true"
COMMAND = [
    str(PIP_AUDIT),
    "--local",
    "--skip-editable",  # the project itself, not on PyPI
    "--progress-spinner=off",
    "--desc=off",
    "--timeout=15",
    "--format=json",
]


def main() -> int:
    try:
        result = subprocess.run(COMMAND, capture_output=True, text=True, timeout=300)  # noqa: S603 (a fixed command)
    except subprocess.TimeoutExpired:
        print("pip-audit : pas de réponse en cinq minutes, audit non fait.")
        return 1 if STRICT else 0
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        print(f"pip-audit n'a pas abouti :\n{result.stderr.strip()}")
        return 1
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = [d for d in dependencies if "skip_reason" in d]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "pas encore"
            print(
                f"VULNÉRABLE {dependency['name']} {dependency['version']} : {vuln['id']} "
                f"(corrigé en {fixed})"
            )
    audited = len(dependencies) - len(unaudited)
    print(
        f"pip-audit : {audited} paquets vérifiés, {len(vulnerable)} vulnérable(s), "
        f"{len(unaudited)} non vérifiés."
    )
    if unaudited:
        print(
            "ATTENTION : la base des vulnérabilités n'a pas répondu pour "
            f"{len(unaudited)} paquets (par exemple {unaudited[0]['name']} : "
            f"{unaudited[0]['skip_reason']}). Relancez avec un accès à pypi.org."
        )
    return 1 if vulnerable or (STRICT and unaudited) else 0


if __name__ == "__main__":
    sys.exit(main())
