"""Two app sessions at once work without errors and show what they show one at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.test_app_flows import ask, cards, home, open_app  # noqa: F401 (home is a fixture)

pytestmark = pytest.mark.integration

REQUESTS = ["vegan recipes on tiktok", "yoga and breathwork"]


def session(text: str) -> list[str]:
    at = open_app()
    ask(at, text)
    return cards(at)


def test_two_sessions_at_once_equal_one_at_a_time(home):  # noqa: F811
    alone = [session(text) for text in REQUESTS]
    assert all(alone), alone
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(session, REQUESTS))
    assert together == alone
