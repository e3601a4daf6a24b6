"""How a function's CPU time grows with its input: a speed check that holds on a loaded machine.

A fixed time limit fails a correct linear algorithm when CI shares its cores, and passes a
quadratic one on a fast machine. The ratio of the times for an input and one four times longer
does neither: about 4 for linear work, about 16 for quadratic, whatever the machine is doing.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of a few runs (the others carry the noise)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def growth(run: Callable[[str], object], make: Callable[[int], str], size: int, factor: int = 4) -> float:
    """CPU time on an input `factor` times longer, divided by the time on the first (about `factor` if linear)."""
    small, large = make(size), make(size * factor)
    return cpu_seconds(lambda: run(large), repeat=2) / max(cpu_seconds(lambda: run(small)), 1e-3)
