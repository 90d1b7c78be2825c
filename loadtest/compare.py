"""After loadtest/run: the runs side by side, and the CPU time per request of the last one
against the first one's (issue #25: at most half).

``python loadtest/compare.py OUT [OUT...]``: each OUT is a run's directory (commit,
locust.json, usage-before.json, usage-after.json, checked). The CPU time is what the
gunicorn master and its workers spent between the two readings of usage.py, that is
serving the mix only (not the start-up), divided by the requests locust made. Exits 1
when the last run had an error or a lost save, or one of its workers went over 300 MB.
"""

import json
import sys
from pathlib import Path

CPU_RATIO_LIMIT = 0.5
WORKER_MEMORY_LIMIT_MB = 300


def run_figures(out: Path) -> dict:
    stats = json.loads((out / "locust.json").read_text(encoding="utf-8"))
    before = json.loads((out / "usage-before.json").read_text(encoding="utf-8"))
    after = json.loads((out / "usage-after.json").read_text(encoding="utf-8"))
    requests = sum(entry["num_requests"] for entry in stats)
    cpu = after["cpu"] - before["cpu"]
    return {
        "commit": (out / "commit").read_text(encoding="utf-8").strip(),
        "requests": requests,
        "failures": sum(entry["num_failures"] for entry in stats),
        "checked": (out / "checked").read_text(encoding="utf-8").strip() == "ok",
        "cpu": cpu,
        "cpu_per_request_ms": 1000 * cpu / requests if requests else 0.0,
        "worker_peak_mb": max(after["workers_peak_mb"], default=0.0),
    }


def french(number: float, digits: int = 1) -> str:
    return f"{number:,.{digits}f}".replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")


def main(outs: list[Path]) -> int:
    runs = [run_figures(out) for out in outs]
    rows = [
        ("commit", [run["commit"] for run in runs]),
        ("requêtes servies", [french(run["requests"], 0) for run in runs]),
        ("erreurs", [french(run["failures"], 0) for run in runs]),
        ("saisies toutes en base", ["oui" if run["checked"] else "NON" for run in runs]),
        ("CPU des serveurs (s)", [french(run["cpu"]) for run in runs]),
        ("CPU par requête (ms)", [french(run["cpu_per_request_ms"]) for run in runs]),
        ("mémoire max d'un worker (Mo)", [french(run["worker_peak_mb"], 0) for run in runs]),
    ]
    width = max(len(label) for label, _ in rows)
    columns = max(len(value) for _, values in rows for value in values) + 2
    print()
    for label, values in rows:
        print(f"{label:<{width}}" + "".join(f"{value:>{columns}}" for value in values))
    failed = False
    if len(runs) > 1 and runs[0]["cpu_per_request_ms"]:
        ratio = runs[-1]["cpu_per_request_ms"] / runs[0]["cpu_per_request_ms"]
        met = "atteinte" if ratio <= CPU_RATIO_LIMIT else "NON atteinte"
        print(
            f"\nCPU par requête : {french(ratio, 2)} × celui de {runs[0]['commit']} "
            f"(limite de #25 : {french(CPU_RATIO_LIMIT, 2)}, {met})."
        )
    # The base is only the measure to compare with: the verdict is this tree's.
    current = runs[-1]
    if current["failures"] or not current["checked"]:
        print(f"{current['commit']} : erreurs ou saisies perdues.")
        failed = True
    if current["worker_peak_mb"] > WORKER_MEMORY_LIMIT_MB:
        print(f"{current['commit']} : un worker a dépassé {WORKER_MEMORY_LIMIT_MB} Mo.")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main([Path(arg) for arg in sys.argv[1:]]))
