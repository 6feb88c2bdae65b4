"""Chat logic with a fake matcher: searches, follow-ups that refine, questions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.conversation import (
    NO_ANSWERS,
    Conversation,
    Intent,
    describe_filters,
    filters_of,
)
from app.models import BrandProfile, Match, MatchRequest
from app.refinement import RefinementReader, number

TIERS = ["sub-nano", "nano", "micro", "mid", "macro", "mega"]


def creator(n: int, price: float, er: float = 3.0, tier: str = "micro") -> Match:
    return Match.model_validate(
        {
            "creator_id": f"c{n}",
            "handle": f"@creator{n}",
            "platform": "instagram",
            "followers": 20_000,
            "tier": tier,
            "engagement_rate": er,
            "score": 1 - n / 100,
            "reasons": ["close"],
            "evidence": [{"post_id": f"p{n}", "text": f"trail running post {n}"}],
            "niches": ["running"],
            "scores": {"fit": 0.5, "price": {"usd": price, "basis": "quoted", "quoted": True}},
        }
    )


class FakeBackend:
    """Records requests; returns five creators that are not excluded."""

    def __init__(self) -> None:
        self.requests: list[tuple[MatchRequest, str | None]] = []
        self.pool = [creator(n, price=100.0 * n, er=float(n)) for n in range(1, 8)]

    def match_for_brand(self, request: MatchRequest, brand: str | None) -> list[Match]:
        self.requests.append((request, brand))
        return [m for m in self.pool if m.creator_id not in request.exclude_ids][: request.k]


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def chat(backend: FakeBackend) -> Conversation:
    return Conversation(backend, TIERS)


def start(chat: Conversation, text: str = "vegan protein bar for runners", **filters: object):
    reply = chat.respond(text, None, [], {**filters_of(None), "k": 5, **filters})
    assert reply.intent is Intent.SEARCH and reply.request is not None
    return reply


def test_first_message_searches_with_the_sidebar_filters(
    chat: Conversation, backend: FakeBackend
) -> None:
    reply = chat.respond(
        "vegan protein bar for runners",
        None,
        [],
        {**filters_of(None), "countries": ["DE"]},
        BrandProfile(name="Oatly"),
    )
    assert reply.intent is Intent.SEARCH
    assert reply.request is not None and reply.request.countries == ["DE"]
    assert reply.request.topic == "vegan protein bar for runners"
    assert backend.requests[-1][1] == "Oatly"
    assert reply.matches and "for “vegan protein bar for runners” (in DE)" in reply.text


def test_filters_in_the_request_text_are_read(chat: Conversation) -> None:
    reply = start(
        chat, "micro fitness creators in Germany on TikTok with engagement above 3%, under $300"
    )
    request = reply.request
    assert request is not None
    assert request.tiers == ["micro"] and request.countries == ["DE"]
    assert request.platforms == ["tiktok"] and request.min_engagement == 3.0
    assert request.max_price_usd == 300.0
    assert request.topic == "fitness creators"


@pytest.mark.parametrize(
    ("follow_up", "field", "value"),
    [
        ("only TikTok", "platforms", ["tiktok"]),
        ("what about YouTube?", "platforms", ["youtube"]),
        ("in Germany", "countries", ["DE"]),
        ("only creators from the UK", "countries", ["GB"]),
        ("in German", "languages", ["de"]),
        ("just nano ones", "tiers", ["nano"]),
        ("bigger", "tiers", ["mid"]),
        ("over 50k followers", "min_followers", 50_000),
        ("between 10k and 80k followers", "max_followers", 80_000),
        ("engagement above 4.5%", "min_engagement", 4.5),
        ("max $250 a post", "max_price_usd", 250.0),
        ("show me 3", "k", 3),
    ],
)
def test_follow_ups_refine_instead_of_starting_over(
    chat: Conversation, follow_up: str, field: str, value: object
) -> None:
    first = start(chat)
    assert first.request is not None and first.matches is not None
    reply = chat.respond(follow_up, first.request, first.matches)
    assert reply.intent is Intent.REFINE, reply.text
    assert reply.request is not None
    assert getattr(reply.request, field) == value
    assert reply.request.topic == first.request.topic
    assert reply.text.startswith("Refined (")


def test_cheaper_lowers_the_budget_below_what_is_on_screen(chat: Conversation) -> None:
    first = start(chat)
    assert first.matches is not None  # prices 100..500
    cheaper = chat.respond("cheaper", first.request, first.matches)
    assert cheaper.request is not None and cheaper.request.max_price_usd == 375.0
    assert cheaper.matches is not None
    screen = [m for m in cheaper.matches if m.scores and m.scores.price.usd <= 375.0]  # type: ignore[union-attr]
    again = chat.respond("even cheaper please", cheaper.request, screen)
    assert again.request is not None and again.request.max_price_usd == 225.0  # 0.75 x $300


def test_drop_the_first_two_excludes_them_and_keeps_excluding(chat: Conversation) -> None:
    first = start(chat)
    assert first.matches is not None
    dropped = chat.respond("drop the first two", first.request, first.matches)
    assert dropped.request is not None and dropped.request.exclude_ids == ["c1", "c2"]
    assert dropped.matches is not None
    assert [m.creator_id for m in dropped.matches][:2] == ["c3", "c4"]
    later = chat.respond("only instagram", dropped.request, dropped.matches)
    assert later.request is not None and later.request.exclude_ids == ["c1", "c2"]
    handle = chat.respond("remove @creator3", later.request, later.matches or [])
    assert handle.request is not None and handle.request.exclude_ids == ["c1", "c2", "c3"]


def test_more_like_a_handle_searches_by_their_posts(
    chat: Conversation, backend: FakeBackend
) -> None:
    first = start(chat, countries=["DE"])
    assert first.matches is not None
    reply = chat.respond("more like @creator2", first.request, first.matches)
    assert reply.intent is Intent.REFINE and reply.request is not None
    assert "trail running post 2" in reply.request.topic
    assert reply.request.exclude_ids == ["c2"] and reply.request.countries == ["DE"]
    assert reply.text.startswith("More like @creator2")
    by_position = chat.respond("others like the third one", first.request, first.matches)
    assert by_position.request is not None and by_position.request.exclude_ids == ["c3"]


def test_a_handle_not_on_screen_is_explained(chat: Conversation) -> None:
    first = start(chat)
    reply = chat.respond("drop @nobody", first.request, first.matches or [])
    assert reply.intent is Intent.HELP
    assert "@nobody is not among the matches on screen" in reply.text


def test_a_new_topic_starts_a_new_search_but_keeps_filters(chat: Conversation) -> None:
    first = start(chat)
    refined = chat.respond("only TikTok", first.request, first.matches or [])
    dropped = chat.respond("drop the first one", refined.request, refined.matches or [])
    new = chat.respond("sustainable fashion", dropped.request, dropped.matches or [])
    assert new.intent is Intent.SEARCH and new.request is not None
    assert new.request.topic == "sustainable fashion"
    assert new.request.platforms == ["tiktok"]  # the filters in force carry over
    assert new.request.exclude_ids == []  # what was dropped for the old topic does not


def test_also_widens_the_topic(chat: Conversation) -> None:
    first = start(chat)
    reply = chat.respond("also yoga on instagram", first.request, first.matches or [])
    assert reply.intent is Intent.REFINE and reply.request is not None
    assert reply.request.topic.startswith("vegan protein bar for runners,")
    assert "yoga" in reply.request.topic


def test_questions_go_to_the_answerer_with_the_matches(backend: FakeBackend) -> None:
    seen: list[tuple[str, list[Match], BrandProfile | None]] = []

    def answer(question: str, matches: list[Match], brand: BrandProfile | None) -> Iterator[str]:
        seen.append((question, matches, brand))
        yield "@creator1 is cheapest"

    chat = Conversation(backend, TIERS, answer=answer)
    first = start(chat)
    calls = len(backend.requests)
    reply = chat.respond("Who is cheapest?", first.request, first.matches or [])
    assert reply.intent is Intent.QUESTION and reply.stream is not None
    assert "".join(reply.stream) == "@creator1 is cheapest"
    assert seen[0][1] == first.matches
    assert len(backend.requests) == calls  # no new search


def test_questions_without_an_llm_say_so(chat: Conversation) -> None:
    first = start(chat)
    reply = chat.respond("why is @creator1 a fit?", first.request, first.matches or [])
    assert reply.intent is Intent.QUESTION and reply.text == NO_ANSWERS


def test_requests_phrased_as_questions_still_search(chat: Conversation) -> None:
    reply = chat.respond("Can you find vegan bakers in Italy?", None, [])
    assert reply.intent is Intent.SEARCH and reply.request is not None
    assert reply.request.countries == ["IT"]


def test_empty_and_filler_messages_get_help(chat: Conversation) -> None:
    assert chat.respond("   ", None, []).intent is Intent.HELP
    assert "Describe the creators" in chat.respond("please", None, []).text


def test_no_results_suggests_loosening(chat: Conversation, backend: FakeBackend) -> None:
    backend.pool = []
    reply = start(chat)
    assert "Loosen a filter" in reply.text


def test_reset_clears_filters(chat: Conversation) -> None:
    first = start(chat, platforms=["tiktok"], countries=["DE"], max_price_usd=100.0)
    reply = chat.respond("clear filters", first.request, first.matches or [])
    assert reply.request is not None
    assert describe_filters(reply.request) == []


def test_a_lone_x_is_not_a_platform_and_ordinary_words_stay_topic() -> None:
    reader = RefinementReader(TIERS)
    reading = reader.read("8 x 800 m intervals, turkey recipes", None, [])
    assert reading.edits == []
    assert "turkey" in reading.topic_words
    on_x = reader.read("only on X", None, [])
    assert [(e.field, e.value) for e in on_x.edits] == [("platforms", ["x"])]


def test_numbers_in_words_and_digits() -> None:
    assert number("two") == 2 and number("12.5k") == 12_500 and number("1,200") == 1_200
    assert number("lots") is None
