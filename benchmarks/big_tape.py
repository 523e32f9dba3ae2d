"""Record and differentiate one tape of 10^8 entries; report time and peak resident memory.

    python benchmarks/big_tape.py            # 10^8 entries
    python benchmarks/big_tape.py 10000000   # or any other count

The computation is ``y = x + x + ... + x`` (each ``+`` one entry with two operands
on the tape), so dy/dx is exactly the number of entries and the result is checked.
The tape costs 25 bytes an entry; its capacity doubles as it grows, but only the
pages written are resident. The derivatives add 8 bytes an entry. Peak resident
memory (VmHWM from /proc/self/status) must stay under 4 GiB for 10^8 entries.
"""

from __future__ import annotations

import sys
import time

from wengert import WengertList

LIMIT = 4 << 30  # bytes


def status(field: str) -> int:
    """A memory figure of /proc/self/status, in bytes."""
    with open("/proc/self/status") as lines:
        for line in lines:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def main(entries: int) -> int:
    start = time.perf_counter()
    tape = WengertList()
    x = tape.variable(1.0)
    y = x
    for _ in range(entries - 1):
        y = y + x
    recorded = time.perf_counter()
    assert len(tape) == entries
    d = y.derivatives()
    swept = time.perf_counter()
    gradient = d[x]
    peak = status("VmHWM")

    record_s, sweep_s = recorded - start, swept - recorded
    print(f"entries:            {entries:,}")
    print(f"record:             {record_s:.2f} s ({record_s / entries * 1e9:.1f} ns an entry)")
    print(f"backward sweep:     {sweep_s:.2f} s ({entries / sweep_s / 1e6:.0f} million entries/s)")
    print(f"dy/dx:              {gradient!r} (expected {float(entries)!r})")
    print(f"peak resident:      {peak / 2**30:.2f} GiB ({peak / entries:.1f} bytes an entry)")
    ok = gradient == float(entries) and (entries < 10**8 or peak < LIMIT)
    print("ok" if ok else "FAILED: wrong derivative or over the 4 GiB limit")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10**8))
