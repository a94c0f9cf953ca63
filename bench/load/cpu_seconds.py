"""CPU seconds a process and its children have used so far (user + system), from /proc.

    python bench/load/cpu_seconds.py PID
"""

import os
import sys
from pathlib import Path


def used(pid, with_reaped_children=False):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: children that have exited
    return ticks / os.sysconf("SC_CLK_TCK")


def tree(pid):
    """The process, its children that have exited, and its children still running."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return used(pid, with_reaped_children=True) + sum(used(child) for child in children)


if __name__ == "__main__":
    print(f"{tree(int(sys.argv[1])):.1f}")
