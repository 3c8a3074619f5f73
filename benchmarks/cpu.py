"""CPU time spent by process groups, to say where a benchmark's CPU goes: each process the
stack starts leads a process group of its own, and the group also holds what that process
starts (uvicorn's worker processes, for one)."""

import os
from collections.abc import Mapping

import psutil


def cpu_seconds(groups: Mapping[str, int]) -> dict[str, float]:
    """Returns, per name, the user + system CPU seconds of the live processes in the
    process group `groups[name]`."""
    totals = dict.fromkeys(groups, 0.0)
    by_group = {group: name for name, group in groups.items()}
    for process in psutil.process_iter():
        try:
            name = by_group.get(os.getpgid(process.pid))
            if name is not None:
                times = process.cpu_times()
                totals[name] += times.user + times.system
        except (psutil.Error, ProcessLookupError):  # the process ended while we looked
            continue
    return totals


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """Returns the CPU seconds each name spent between two `cpu_seconds` readings."""
    return {name: after[name] - before.get(name, 0.0) for name in after}
