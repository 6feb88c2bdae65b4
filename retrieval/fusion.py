"""Per-creator aggregation of document scores, and fusion of the dense and lexical signals.

Aggregation rewards consistency: a creator's score from one retriever is the mean of their best
``n`` post scores, where a missing post counts as the weakest score that was retrieved, so a
creator with three on-topic posts beats one with a single lucky post. Fusion is a weighted sum
of scores normalised to 0–1 within the request (the best creator on each signal gets 1), so the
weights are comparable and are settings (``NICHEMATCH_MATCH__WEIGHT_DENSE`` …).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np


def top_mean(scores: Iterable[float], n: int, floor: float) -> float:
    """Mean of the best ``n`` scores, missing ones counted as ``floor``."""
    best = sorted(scores, reverse=True)[:n]
    best += [floor] * (n - len(best))
    return sum(best) / n


def aggregate_posts(
    post_scores: np.ndarray, owners: np.ndarray, allowed: np.ndarray, n: int, depth: int
) -> dict[int, float]:
    """Creator index → mean of their best ``n`` post scores among the top ``depth`` posts.

    Only posts of allowed creators with a positive score count; a missing post counts as 0.
    """
    scores = np.where(allowed[owners], post_scores, 0.0)
    depth = min(depth, int(np.count_nonzero(scores > 0)))
    if depth <= 0:
        return {}
    top = np.argpartition(-scores, depth - 1)[:depth]
    # group the top posts by owner, best first, and sum each owner's best n
    order = np.lexsort((-scores[top], owners[top]))
    owner, value = owners[top][order], scores[top][order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(owner)]))
    best = np.arange(len(owner)) - starts[group] < n
    sums = np.bincount(group[best], weights=value[best], minlength=len(starts))
    return dict(zip(owner[starts].tolist(), (sums / n).tolist(), strict=True))


def normalise(scores: Mapping[str, float], floor: float = 0.0) -> dict[str, float]:
    """Scores mapped to 0–1: ``(s - floor) / (max - floor)``, clipped at 0."""
    if not scores:
        return {}
    top = max(scores.values())
    span = top - floor
    if span <= 0:
        return {key: 1.0 if value >= top else 0.0 for key, value in scores.items()}
    return {key: max(0.0, (value - floor) / span) for key, value in scores.items()}


def fuse(
    signals: Mapping[str, Mapping[str, float]], weights: Mapping[str, float]
) -> dict[str, float]:
    """Weighted sum of normalised signals per creator (a signal a creator lacks counts 0)."""
    total = sum(weight for name, weight in weights.items() if name in signals) or 1.0
    fused: dict[str, float] = defaultdict(float)
    for name, scores in signals.items():
        weight = weights.get(name, 0.0) / total
        for key, value in scores.items():
            fused[key] += weight * value
    return dict(fused)
