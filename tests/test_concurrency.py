"""Twenty match requests at once from threads give the same results as one at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from app.models import MatchRequest
from app.service import Nichematch
from tests.conftest import SMALL

pytestmark = pytest.mark.integration

BRIEFS = [
    ("vegan recipes", {}),
    ("marathon training", {"platforms": ["instagram"]}),
    ("retro games", {}),
    ("yoga and breathwork", {"tiers": ["nano", "micro"]}),
    ("budget travel hostels", {"min_engagement": 1.0}),
]


def test_parallel_matches_equal_sequential(settings, embedder):
    service = Nichematch(settings, embedder)
    service.ingest([SMALL])
    requests = [MatchRequest(topic=t, k=5, **f) for t, f in BRIEFS] * 4  # 20 requests
    sequential = [service.match(r) for r in requests]
    with ThreadPoolExecutor(max_workers=20) as pool:
        parallel = list(pool.map(service.match, requests))
    assert [[m.model_dump() for m in ms] for ms in parallel] == [
        [m.model_dump() for m in ms] for ms in sequential
    ]
    assert all(sequential)
