"""How `tracker extract` does on articles it was not tuned on: the labelled corpus (issue 17).

Run: .venv/bin/python benchmarks/extract_corpus.py [--part tuning|held-out-5|all] [-v]

The corpus lives in benchmarks/extract_corpus/: `split.yaml` (which articles were tuned on,
fixed before tuning), `labels/NAME.yaml` (url, publisher, date, and per claim its key phrases,
speaker, kind, deadline and target). The articles' texts are not in the repository: put them
in benchmarks/extract_corpus/cache/NAME.txt (git-ignored). Nothing is fetched; an article
whose text is absent is skipped, and the run says so.

Prints, per part: recall (labelled claims drafted), precision (drafts that are labelled or
optional claims), and among the claims found the share with the right speaker, the right
deadline (within a month; an implied deadline where the article states none) and, for target
claims, a target draft with the right value and unit. The article's own date line is used
where the labels say it has one (`date_in_text`), else the labelled date is passed as
`--published` would be. A key or optional phrase that is not in its article's text is a labelling
mistake, reported before any figure. Exit code 1 when a held-out figure misses the issue's bar.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from extract_scoring import CorpusScore, label_mistakes, load_labels, load_split, score_draft  # noqa: E402

from tracker.extract import extract  # noqa: E402

CORPUS = REPO / "benchmarks" / "extract_corpus"
BAR = {"recall": 0.85, "precision": 0.70, "speaker": 0.90, "deadline": 0.80, "target": 0.80}


def score_part(names: list[str], corpus: Path = CORPUS, verbose: bool = False) -> tuple[list[CorpusScore], list[str]]:
    """Draft and score each named article whose text is cached; also the names skipped."""
    scores: list[CorpusScore] = []
    skipped: list[str] = []
    for name in names:
        text_path = corpus / "cache" / f"{name}.txt"
        if not text_path.is_file():
            skipped.append(name)
            continue
        labels = load_labels(corpus / "labels" / f"{name}.yaml")
        text = text_path.read_text(encoding="utf-8")
        for phrase in label_mistakes(labels, text):
            print(f"{name}: labelled phrase not in the text: {phrase!r}", file=sys.stderr)
        draft = extract(text, published=None if labels.date_in_text else labels.published, file_name=f"{name}.txt")
        score = score_draft(labels, draft)
        if labels.date_in_text:
            score.published_right = draft["sources"][0]["published"] == labels.published
        scores.append(score)
        if verbose:
            _show(score)
    return scores, skipped


def figures(scores: list[CorpusScore]) -> dict[str, float]:
    """Recall, precision, speaker, deadline and target accuracy over a part."""
    results = [r for s in scores for r in s.results]
    found = [r for r in results if r.found]
    targets = [r for r in found if r.claim.target]
    drafted = sum(s.drafted for s in scores)
    unwanted = sum(len(s.unwanted) for s in scores)
    dates = [s.published_right for s in scores if s.published_right is not None]
    return {
        "claims": len(results), "found": len(found), "drafted": drafted,
        "recall": _share(len(found), len(results)),
        "precision": _share(drafted - unwanted, drafted),
        "speaker": _share(sum(r.speaker for r in found), len(found)),
        "deadline": _share(sum(r.deadline for r in found), len(found)),
        "target": _share(sum(r.target for r in targets), len(targets)),
        "targets": len(targets),
        "published": _share(sum(dates), len(dates)),
    }


def _share(part: float, whole: int) -> float:
    return part / whole if whole else float("nan")


def _show(score: CorpusScore) -> None:
    print(f"== {score.name}: {score.drafted} drafted, published date right: {score.published_right}")
    for r in score.results:
        marks = "found" if r.found else "MISSED"
        if r.found:
            marks += f" speaker={'ok' if r.speaker else 'WRONG'} deadline={'ok' if r.deadline else 'WRONG'}"
            marks += f" target={'ok' if r.target else 'WRONG'}" if r.claim.target else ""
        print(f"   {marks}: {r.claim.keys[0][:70]!r} -> {r.got}")
    for quote in score.unwanted:
        print(f"   unwanted: {quote[:100]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    split = load_split(CORPUS)
    parser.add_argument("--part", choices=[*split, "all"], default="all")
    parser.add_argument("-v", "--verbose", action="store_true", help="per article: each claim, each unwanted draft")
    args = parser.parse_args()
    parts = list(split) if args.part == "all" else [args.part]
    missed_bar = False
    for part in parts:
        scores, skipped = score_part(split[part], verbose=args.verbose)
        if skipped:
            print(f"{part}: skipped {len(skipped)} article(s) whose text is not in {CORPUS / 'cache'}: {', '.join(skipped)}")
        f = figures(scores)
        print(f"{part}: {len(scores)} articles, {f['claims']} claims, {f['found']} found, {f['drafted']} drafted")
        print("  " + "  ".join(f"{k} {f[k]:.2f}" for k in ("recall", "precision", "speaker", "deadline", "target", "published"))
              + f"  ({f['targets']} target claims found)")
        if part.startswith("held-out"):
            missed_bar = missed_bar or any(f[k] < bar for k, bar in BAR.items() if f[k] == f[k])
    return 1 if missed_bar else 0


if __name__ == "__main__":
    sys.exit(main())
