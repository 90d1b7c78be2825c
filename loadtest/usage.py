"""CPU seconds and peak memory of a gunicorn master and its workers, read from /proc.

``python loadtest/usage.py PID`` prints one JSON object: ``cpu`` (seconds of user and
system time of the master, its living workers and the workers it has already reaped)
and ``workers_peak_mb`` (each living worker's peak resident memory, VmHWM). Read twice,
before and after the load, the difference of ``cpu`` is what serving the load cost.
"""

import json
import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces: split after its closing parenthesis.
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int, reaped: bool) -> float:
    fields = stat_fields(pid)
    # After the name: utime, stime, cutime, cstime are the 12th to 15th fields.
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def usage(master: int) -> dict:
    workers = children(master)
    return {
        "cpu": round(
            cpu_seconds(master, reaped=True) + sum(cpu_seconds(w, reaped=True) for w in workers), 2
        ),
        "workers_peak_mb": sorted((round(peak_mb(w), 1) for w in workers), reverse=True),
    }


if __name__ == "__main__":
    print(json.dumps(usage(int(sys.argv[1]))))
