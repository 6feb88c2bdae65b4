"""Match quality, measured: the system against two baselines in the same run.

A run takes a corpus (creator records), relevance judgments and briefs (``category<TAB>brief``).
Judgments come from a labels file (``id,category``: a creator is relevant, grade 1, when its
label equals the brief's category) or, for the bundled data, from each record's ``true_niches``
(grade 2 for the creator's primary niche, 1 for a secondary one). Judgments are read by the
evaluation only; they are never ingested, and matching never sees them.

Every brief is parsed into a request as a user's would be (so briefs can carry filters), and run
through three rankers:

- **system**: the product's matcher (hybrid retrieval, fusion, scores, diversity);
- **dense baseline**: cosine between the brief and each creator's concatenated posts, embedded
  with the same model;
- **bm25 baseline**: BM25 (bm25s, its default tokenizer and English stop words) over each
  creator's concatenated posts.

The baselines apply the same hard filters, so the comparison is about ranking alone.

Metrics, averaged over briefs: precision@10 (share of the top 10 that is relevant), nDCG@10
(gain 2^grade − 1, discount log2(rank + 1), ideal from every eligible relevant creator),
recall@50 (relevant in the top 50 / eligible relevant), hard-filter violations (returned
creators that break the request's filters, checked against the corpus records), and match
latency p50/p95 in milliseconds (the system's includes parsing the brief).
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import InputError
from app.models import Creator, MatchRequest
from app.settings import Settings

if TYPE_CHECKING:
    from app.service import Nichematch

Judgments = dict[str, dict[str, int]]
Ranker = Callable[[MatchRequest], list[str]]
TOP_K = 10
RECALL_K = 50


@dataclass(frozen=True)
class Brief:
    """One evaluation brief: the category it targets and its text."""

    category: str
    text: str


def read_briefs(path: Path) -> list[Brief]:
    """Briefs from a ``category<TAB>brief`` file; blank lines and ``#`` comments are skipped."""
    if not path.is_file():
        raise InputError(f"{path}: no such briefs file; write one `category<TAB>brief` per line.")
    briefs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, tab, text = line.partition("\t")
        if not tab or not category.strip() or not text.strip():
            raise InputError(f"{path}:{number}: expected `category<TAB>brief`, got {line[:60]!r}")
        briefs.append(Brief(category.strip(), text.strip()))
    if not briefs:
        raise InputError(f"{path}: no briefs found; write one `category<TAB>brief` per line.")
    return briefs


def read_labels(path: Path) -> Judgments:
    """Judgments from an ``id,category`` CSV (with a header row)."""
    if not path.is_file():
        raise InputError(f"{path}: no such labels file; write `id,category` rows.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"id", "category"} <= set(reader.fieldnames):
            raise InputError(f"{path}: the header must be `id,category`.")
        return {row["id"]: {row["category"].strip(): 1} for row in reader if row.get("id")}


def judgments_from_true_niches(raw_records: Sequence[Mapping[str, object]]) -> Judgments:
    """Graded judgments from the generator's ``true_niches``: primary 2, secondary 1."""
    judged: Judgments = {}
    for record in raw_records:
        niches = record.get("true_niches")
        if isinstance(niches, list) and niches:
            grades = {str(niches[0]): 2}
            grades.update({str(niche): 1 for niche in niches[1:] if str(niche) not in grades})
            judged[str(record["id"])] = grades
    if not judged:
        raise InputError(
            "The corpus has no `true_niches` field to judge relevance by; pass --labels."
        )
    return judged


@dataclass
class Scores:
    """The metrics of one ranker over all briefs."""

    precision_at_10: list[float] = field(default_factory=list)
    ndcg_at_10: list[float] = field(default_factory=list)
    recall_at_50: list[float] = field(default_factory=list)
    violations: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    per_category: dict[str, list[float]] = field(default_factory=dict)

    def summary(self) -> dict[str, float | int]:
        """Means and latency percentiles."""
        return {
            "precision_at_10": _mean(self.precision_at_10),
            "ndcg_at_10": _mean(self.ndcg_at_10),
            "recall_at_50": _mean(self.recall_at_50),
            "hard_filter_violations": self.violations,
            "latency_p50_ms": round(percentile(self.latencies_ms, 50), 1),
            "latency_p95_ms": round(percentile(self.latencies_ms, 95), 1),
        }


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def dcg(grades: Sequence[int]) -> float:
    """Discounted cumulative gain with gain 2^grade − 1."""
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score_ranking(
    ranked: Sequence[str], category: str, eligible: Sequence[str], judged: Judgments
) -> tuple[float, float, float]:
    """(precision@10, nDCG@10, recall@50) of one ranking."""
    grade = lambda cid: judged.get(cid, {}).get(category, 0)  # noqa: E731
    top = [grade(cid) for cid in ranked[:TOP_K]]
    relevant = sorted((grade(cid) for cid in eligible if grade(cid) > 0), reverse=True)
    precision = sum(1 for g in top if g > 0) / TOP_K
    ideal = dcg(relevant[:TOP_K])
    ndcg = dcg(top) / ideal if ideal > 0 else 0.0
    found = sum(1 for cid in ranked[:RECALL_K] if grade(cid) > 0)
    recall = found / len(relevant) if relevant else 0.0
    return precision, ndcg, recall


def timed(ranker: Ranker, request: MatchRequest) -> tuple[list[str], float]:
    """A ranker's ids for a request and the milliseconds it took."""
    start = time.perf_counter()
    ranked = ranker(request)
    return ranked, (time.perf_counter() - start) * 1000


def creators_by_id(creators: Sequence[Creator]) -> dict[str, Creator]:
    """Creators keyed by id."""
    return {creator.id: creator for creator in creators}


@dataclass
class Corpus:
    """The creators of an evaluation corpus, with the metadata hard filters are checked on."""

    creators: list[Creator]
    raw: Sequence[Mapping[str, Any]]
    metadata: Mapping[str, Mapping[str, Any]]

    def eligible(self, request: MatchRequest) -> set[str]:
        """Ids of the creators that pass the request's hard filters."""
        from retrieval.filters import violations

        return {cid for cid, meta in self.metadata.items() if not violations(request, meta)}


def load_corpus(path: Path, settings: Settings) -> Corpus:
    """Valid creators of a corpus file (invalid records are skipped, as ingest skips them)."""
    from app.ingest import creator_metadata, derive_profile
    from app.records import RecordProblem, parse_record
    from app.sources import read_records

    if not path.is_file():
        raise InputError(f"{path}: no such corpus file; give a creators JSONL/JSON/CSV file.")
    creators, raw = [], []
    for item in read_records(path):
        if item.problem or not isinstance(item.data, dict):
            continue
        try:
            creator, _ = parse_record(item.data)
        except RecordProblem:
            continue
        creators.append(creator)
        raw.append(item.data)
    metadata = {c.id: creator_metadata(derive_profile(c, settings)) for c in creators}
    return Corpus(creators, raw, metadata)


def evaluate(
    service: Nichematch,
    corpus: Corpus,
    judged: Judgments,
    briefs: Sequence[Brief],
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """Run every brief through the system and both baselines; the metrics of each."""
    from app.baselines import BM25Baseline, DenseBaseline
    from app.request_parser import parse_request

    settings = service.settings
    dense = DenseBaseline(corpus.creators, service.embedder, cache)
    bm25 = BM25Baseline(corpus.creators)
    service.match(parse_request(briefs[0].text, settings).request)  # warm-up: snapshot, model
    results = {name: Scores() for name in ("system", "dense_baseline", "bm25_baseline")}
    for number, brief in enumerate(briefs, start=1):
        start = time.perf_counter()
        request = parse_request(brief.text, settings, k=TOP_K).request
        ten = [m.creator_id for m in service.match(request)]
        system_ms = (time.perf_counter() - start) * 1000
        deep = request.model_copy(update={"k": RECALL_K})
        fifty = [m.creator_id for m in service.match(deep)]
        eligible = corpus.eligible(request)
        rankings = {"system": (ten + [c for c in fifty if c not in ten], system_ms)}
        for name, baseline in (("dense_baseline", dense), ("bm25_baseline", bm25)):
            start = time.perf_counter()
            ranked = baseline.rank(request.topic, eligible, RECALL_K)
            rankings[name] = (ranked, (time.perf_counter() - start) * 1000)
        judgeable = any(judged.get(cid, {}).get(brief.category, 0) > 0 for cid in eligible)
        for name, (ranked, ms) in rankings.items():
            scores = results[name]
            scores.latencies_ms.append(ms)
            scores.violations += sum(1 for cid in ranked if cid not in eligible)
            if not judgeable:
                continue  # no relevant creator passes the filters: nothing to rank well
            p, n, r = score_ranking(ranked, brief.category, sorted(eligible), judged)
            scores.precision_at_10.append(p)
            scores.ndcg_at_10.append(n)
            scores.recall_at_50.append(r)
            scores.per_category.setdefault(brief.category, []).append(p)
        if progress:
            progress(number, len(briefs))
    return {
        "creators": len(corpus.creators),
        "briefs": len(briefs),
        "systems": {name: scores.summary() for name, scores in results.items()},
        "precision_at_10_by_category": {
            name: {cat: _mean(values) for cat, values in sorted(scores.per_category.items())}
            for name, scores in results.items()
        },
    }
