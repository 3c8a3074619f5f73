"""CPU time spent by process groups, read from /proc (Linux), to say where a benchmark's
CPU goes: each process the stack starts leads a process group of its own, and the group
also holds what that process starts (uvicorn's worker processes, for one)."""

import os
from collections.abc import Mapping
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(groups: Mapping[str, int]) -> dict[str, float]:
    """Returns, per name, the user + system CPU seconds of the live processes in the
    process group `groups[name]` (empty when /proc is not there)."""
    totals = dict.fromkeys(groups, 0.0)
    by_group = {group: name for name, group in groups.items()}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        fields = text[text.rindex(")") + 2 :].split()
        group, user, system = int(fields[2]), int(fields[11]), int(fields[12])
        name = by_group.get(group)
        if name is not None:
            totals[name] += (user + system) / TICKS_PER_SECOND
    return totals


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """Returns the CPU seconds each name spent between two `cpu_seconds` readings."""
    return {name: after[name] - before.get(name, 0.0) for name in after}
