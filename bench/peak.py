"""Run the munitag command and report its own peak resident set size on stderr.

``ru_maxrss`` of a child started from a big process includes the parent's size at fork time,
so the benchmark asks the child itself: VmHWM of the process after exec is its own high-water mark.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    print(f"peak-rss-mb {peak_mb():.1f}", file=sys.stderr)
    sys.exit(code)
