"""Run the munitag command and report its own peak resident set size on stderr.

``ru_maxrss`` of a child started from a big process includes the parent's size at fork time,
so the benchmark asks the child itself: VmHWM of the process after exec is its own high-water mark.
"""

from __future__ import annotations

import os
import sys

from munitag.cli import main


def peak_mb() -> float:
    """VmHWM of this process in MB (Linux), or -1 where /proc is not available."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1.0


def tree_rss_mb(pid: int) -> float:
    """The resident set sizes of process ``pid`` and all its descendants, summed, in MB (Linux;
    0 where /proc is not available)."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            total = next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:")), 0.0)
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                total += sum(tree_rss_mb(int(child)) for child in children.read().split())
    except OSError:  # gone meanwhile
        pass
    return total


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    print(f"peak-rss-mb {peak_mb():.1f}", file=sys.stderr)
    sys.exit(code)
