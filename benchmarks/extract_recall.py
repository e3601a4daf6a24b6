"""Recall of `tracker extract` on the seed articles against the bundled propositions.

Run: .venv/bin/python benchmarks/extract_recall.py [--forecasts DIR] [--seeds DIR] [-v]
Prints, per seed article, the bundled quotes recovered and the candidates drafted, then
the overall recall and the largest number of candidates per bundled proposition. Issue 10
asks for recall >= 0.80 and at most 3 candidates per proposition; the exit code is 1
when either is missed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from extract_scoring import bundled_quotes, default_seeds, max_per_proposition, recall, score_seeds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forecasts", type=Path, default=REPO / "forecasts")
    parser.add_argument("--seeds", type=Path, default=default_seeds(REPO))
    parser.add_argument("-v", "--verbose", action="store_true", help="list the missed quotes")
    args = parser.parse_args()
    if not args.seeds.is_dir():
        print(f"{args.seeds}: no seed articles here (set TRACKER_SEEDS)", file=sys.stderr)
        return 2
    known = bundled_quotes(args.forecasts)
    if not known:
        print(f"{args.forecasts}: no bundled propositions with a quote and a seed file", file=sys.stderr)
        return 2
    scores = score_seeds(args.seeds, known)
    print(f"{'article':<28} {'bundled':>7} {'found':>5} {'drafted':>7} {'per prop':>8}")
    for s in scores:
        print(f"{s.name:<28} {s.known:>7} {s.recovered:>5} {s.candidates:>7} {s.per_proposition:>8.2f}")
        for quote in s.missed if args.verbose else ():
            print(f"    missed: {quote[:110]}")
    total, worst = recall(scores), max_per_proposition(scores)
    print(f"recall: {total:.2f} ({sum(s.recovered for s in scores)}/{sum(s.known for s in scores)})")
    print(f"max candidates per proposition: {worst:.2f}")
    return 0 if total >= 0.8 and worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
