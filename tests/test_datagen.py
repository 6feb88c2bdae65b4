"""The seeded demo-data generator: determinism, schema, coverage and realism of the numbers."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.datagen import NICHE_KEYWORDS, NICHES, TIER_RANGES, generate_creators, write_jsonl
from app.datagen.compose import NICHE_POOLS, Ctx, Slots, fold
from app.datagen.people import COUNTRIES, COUNTRY_LANGUAGE
from app.datagen.text import LANGS, NICHE_TEXT
from app.datagen.text import life as L

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "creators.jsonl"
REQUIRED = ("id", "handle", "name", "platform", "bio", "country", "language", "followers", "posts")
POST_REQUIRED = ("id", "text", "likes", "comments", "posted_at", "kind", "sponsored")
KINDS = {"photo", "video", "story", "reel", "carousel", "text"}
TIER_ORDER = ("sub-nano", "nano", "micro", "mid", "macro", "mega")
# besides the default, a few bilingual countries also have creators in a second language
EXTRA_LANGUAGES = {"CA": {"fr"}, "BE": {"fr"}}


@pytest.fixture(scope="module")
def creators() -> list[dict]:
    return list(generate_creators(1500, seed=7))


def tier(followers: int) -> str:
    bounds = ((1_000, "sub-nano"), (10_000, "nano"), (100_000, "micro"), (500_000, "mid"))
    bounds += ((1_000_000, "macro"),)
    return next((name for limit, name in bounds if followers < limit), "mega")


def median_er(record: dict) -> float:
    return statistics.median(
        (p["likes"] + p["comments"]) / record["followers"] for p in record["posts"]
    )


def names_a_niche(record: dict) -> bool:
    words = [w for n in record["true_niches"] for w in NICHE_KEYWORDS[n]]
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", record["bio"], re.I) for w in words)


def _fragments(lang: dict) -> set[str]:
    """Literal pieces of a language's sentences, long enough to identify the language."""
    out = set()
    sentences = [s for key in ("open", "close", "life", "ad_body", "generic") for s in lang[key]]
    sentences += [s for group in lang["niche"].values() for s in group]
    for sentence in sentences:
        longest = max(re.split(r"\{[a-z_]+\}", sentence), key=len).strip()
        if len(longest) >= 8:
            out.add(longest)
    return out


LANG_FRAGMENTS = {code: _fragments(lang) for code, lang in LANGS.items()}


def post_language(text: str) -> str | None:
    return next((c for c, frags in LANG_FRAGMENTS.items() if any(f in text for f in frags)), None)


# --- determinism --------------------------------------------------------------------------------


def test_same_seed_same_output():
    assert list(generate_creators(60, seed=3)) == list(generate_creators(60, seed=3))


def test_other_seed_other_output():
    a, b = list(generate_creators(20, seed=3)), list(generate_creators(20, seed=4))
    assert [r["bio"] for r in a] != [r["bio"] for r in b]


def test_prefix_is_stable_across_n(creators):
    assert list(generate_creators(40, seed=7)) == creators[:40]


def test_bundled_file_is_the_seed_7_output(creators):
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1500
    assert [json.loads(line) for line in lines] == creators


def test_write_jsonl_and_cli(tmp_path):
    out = tmp_path / "c.jsonl"
    assert write_jsonl(out, 25, seed=7) == 25
    raw = out.read_bytes().decode("utf-8")
    assert "\\u" not in raw  # ensure_ascii=False: accents and emoji stay readable
    assert [json.loads(x) for x in raw.splitlines()] == list(generate_creators(25, seed=7))
    cli_out = tmp_path / "cli.jsonl"
    subprocess.run(
        [sys.executable, "-m", "app.datagen", "--n", "25", "--seed", "7", "--out", str(cli_out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert cli_out.read_bytes() == out.read_bytes()


# --- schema -------------------------------------------------------------------------------------


def test_schema_and_unique_ids(creators):
    ids, handles, post_ids = set(), set(), set()
    for r in creators:
        for field in REQUIRED:
            assert field in r, (r["id"], field)
        assert re.fullmatch(r"c\d{6,}", r["id"])
        assert re.fullmatch(r"@[a-z0-9._]{2,30}", r["handle"]), r["handle"]
        assert r["name"].strip() and r["bio"].strip()
        assert isinstance(r["followers"], int) and r["followers"] > 0
        assert 6 <= len(r["posts"]) <= 12
        assert r["true_niches"] and set(r["true_niches"]) <= set(NICHES)
        assert r["true_risk"] in ([], ["bought_followers"], ["engagement_pod"])
        assert set(r.get("niches", [])) <= set(NICHES)
        ids.add(r["id"])
        handles.add(r["handle"])
        for n, p in enumerate(r["posts"], 1):
            for field in POST_REQUIRED:
                assert field in p, (p["id"], field)
            assert p["id"] == f"{r['id']}-p{n:02d}"
            assert p["text"].strip() and p["kind"] in KINDS
            assert isinstance(p["sponsored"], bool)
            assert p["likes"] >= 0 and p["comments"] >= 0
            post_ids.add(p["id"])
    assert len(ids) == len(handles) == len(creators)
    assert len(post_ids) == sum(len(r["posts"]) for r in creators)


def test_optional_fields(creators):
    n = len(creators)
    emails = [r["email"] for r in creators if "email" in r]
    assert 0.3 < len(emails) / n < 0.5
    assert all(re.fullmatch(r"[a-z0-9.]+@example\.(com|org|net)", e) for e in emails)
    declared = [r for r in creators if "niches" in r]
    assert 0.2 < len(declared) / n < 0.4
    assert any(r["niches"] != r["true_niches"] for r in declared)
    assert 0.2 < sum("rate_usd" in r for r in creators) / n < 0.4
    assert sum("following" in r for r in creators) / n > 0.6


def test_rates_are_plausible_for_size(creators):
    per_10k = [
        r["rate_usd"] / r["followers"] * 10_000
        for r in creators
        if "rate_usd" in r and r["followers"] >= 10_000
    ]
    assert 60 < statistics.median(per_10k) < 160
    nano = [r["rate_usd"] for r in creators if "rate_usd" in r and r["followers"] < 10_000]
    assert all(5 <= rate <= 250 for rate in nano)


def test_posts_are_recent_and_newest_first(creators):
    start, end = datetime(2025, 4, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    spans = []
    for r in creators:
        stamps = [p["posted_at"] for p in r["posts"]]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)
        assert stamps == sorted(stamps, reverse=True)
        times = [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps]
        assert all(start <= t <= end for t in times)
        spans.append((times[0] - times[-1]).days)
    assert max(spans) > 300 and min(spans) < 10


def test_language_matches_country(creators):
    for r in creators:
        allowed = {COUNTRY_LANGUAGE[r["country"]]} | EXTRA_LANGUAGES.get(r["country"], set())
        assert r["language"] in allowed, (r["id"], r["country"], r["language"])


# --- coverage -----------------------------------------------------------------------------------


def test_coverage(creators):
    assert len(NICHES) >= 26
    assert len({r["true_niches"][0] for r in creators}) >= 20
    platforms = Counter(r["platform"] for r in creators)
    assert len(platforms) >= 4 and {"instagram", "tiktok", "youtube", "x"} <= set(platforms)
    assert len({r["country"] for r in creators}) >= 15
    assert 0.2 < sum(len(r["true_niches"]) == 2 for r in creators) / len(creators) < 0.5


def test_platform_mix_follows_niche(creators):
    gaming = Counter(r["platform"] for r in creators if r["true_niches"][0] == "gaming")
    assert gaming["twitch"] + gaming["youtube"] > gaming["instagram"] * 3
    fashion = Counter(r["platform"] for r in creators if r["true_niches"][0] == "fashion")
    assert fashion["instagram"] + fashion["tiktok"] > fashion["youtube"] + fashion["x"]
    assert fashion["twitch"] == 0


def test_tier_distribution(creators):
    share = Counter(tier(r["followers"]) for r in creators)
    expected = {"sub-nano": 2, "nano": 35, "micro": 40, "mid": 15, "macro": 5, "mega": 3}
    for name, pct in expected.items():
        assert abs(share[name] / len(creators) * 100 - pct) <= max(2.5, pct * 0.2), name


# --- engagement and fraud -----------------------------------------------------------------------


def test_engagement_falls_with_tier(creators):
    medians = {}
    for name in TIER_ORDER[1:]:
        ers = [
            median_er(r) for r in creators if tier(r["followers"]) == name and not r["true_risk"]
        ]
        medians[name] = statistics.median(ers)
    assert medians["nano"] > medians["micro"] > medians["mid"] > medians["macro"] > medians["mega"]
    for name, (lo, hi) in TIER_RANGES.items():
        if name in medians:
            assert lo * 0.8 <= medians[name] <= hi * 1.1, (name, medians[name])


def test_fraud_is_outside_the_tier_range(creators):
    legit: dict[str, list[float]] = {}
    for r in creators:
        if not r["true_risk"]:
            legit.setdefault(tier(r["followers"]), []).append(median_er(r))
    bought = [r for r in creators if r["true_risk"] == ["bought_followers"]]
    pods = [r for r in creators if r["true_risk"] == ["engagement_pod"]]
    assert 0.01 < len(bought) / len(creators) < 0.08
    assert 0.01 < len(pods) / len(creators) < 0.08
    for r in bought:
        peers = sorted(legit[tier(r["followers"])])
        assert median_er(r) < min(peers[len(peers) // 20], 0.005), r["id"]
    small = [r for r in bought if "following" in r and r["followers"] < 10_000]
    assert sum(r["following"] >= 0.7 * r["followers"] for r in small) >= len(small) // 3
    assert not any(
        r.get("following", 0) > 0.9 * r["followers"]
        for r in creators
        if not r["true_risk"] and r["followers"] >= 1_000
    )
    for r in pods:
        peers = sorted(legit[tier(r["followers"])])
        assert median_er(r) > max(peers[len(peers) * 19 // 20], 0.12), r["id"]
        ratio = statistics.median(p["comments"] / max(p["likes"], 1) for p in r["posts"])
        assert ratio > 0.1, r["id"]


def test_viral_posts_and_comment_ratio(creators):
    legit = [r for r in creators if not r["true_risk"] and r["followers"] > 5_000]
    ratios = [p["comments"] / p["likes"] for r in legit for p in r["posts"] if p["likes"]]
    assert 0.02 <= statistics.median(ratios) <= 0.05
    spikes = sum(
        max(p["likes"] for p in r["posts"]) > 4 * statistics.median(p["likes"] for p in r["posts"])
        for r in legit
    )
    assert spikes > len(legit) * 0.05


# --- text realism -------------------------------------------------------------------------------


def test_non_english_posts_are_real_sentences(creators):
    posts = [(r, p) for r in creators for p in r["posts"]]
    found = [(r, post_language(p["text"])) for r, p in posts]
    foreign = [(r, code) for r, code in found if code]
    assert 0.08 < len(foreign) / len(posts) < 0.25
    assert {code for _, code in foreign} >= {"es", "de", "fr", "pt", "it", "nl"}
    assert all(r["language"] == code for r, code in foreign)


def test_sponsored_posts_are_disclosed(creators):
    posts = [p for r in creators for p in r["posts"]]
    sponsored = [p for p in posts if p["sponsored"]]
    assert 0.06 < len(sponsored) / len(posts) < 0.15
    assert sum(bool(re.search(r"#ad\b", p["text"])) for p in sponsored) > len(sponsored) * 0.2
    disclosures = [*L.AD_DISCLOSURE_PRE, *L.AD_DISCLOSURE_POST]
    disclosures += [d for lang in LANGS.values() for d in (*lang["ad_pre"], *lang["ad_post"])]
    markers = {re.sub(r"@?\{bh\}", "", d).strip(" |:().") for d in disclosures}
    assert all(any(m in p["text"] for m in markers) for p in sponsored)
    assert not any(re.search(r"#ad\b", p["text"]) for p in posts if not p["sponsored"])


def test_sponsored_brands_are_invented(creators):
    brands = {b for entry in NICHE_TEXT.values() for b in entry["brands"]}
    names = brands | {"@" + fold(b.replace("&", "and")) for b in brands}
    posts = [p["text"] for r in creators for p in r["posts"] if p["sponsored"]]
    assert all(any(name in text for name in names) for text in posts)


def test_some_bios_never_name_the_niche(creators):
    english = [r for r in creators if r["language"] == "en"]
    hidden = [r for r in english if not names_a_niche(r)]
    assert 0.15 < len(hidden) / len(english) < 0.4


def test_posts_do_not_all_repeat_the_niche_word(creators):
    posts = [(r["true_niches"][0], p["text"]) for r in creators for p in r["posts"]]
    with_label = sum(bool(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", t, re.I)) for n, t in posts)
    assert with_label / len(posts) < 0.3


def test_text_is_varied(creators):
    texts = [p["text"] for r in creators for p in r["posts"]]
    assert len(set(texts)) / len(texts) > 0.95
    assert len({r["bio"] for r in creators}) / len(creators) > 0.97
    lengths = sorted(len(t) for t in texts)
    assert lengths[len(lengths) // 10] < 90 and lengths[len(lengths) * 9 // 10] > 200
    assert sum("#" in t for t in texts) / len(texts) > 0.4
    assert any(ord(ch) > 0x1F300 for t in texts[:200] for ch in t)  # emoji


def test_every_template_fills():
    """Each placeholder in the text material resolves, so rare templates cannot crash later."""
    import random

    fixed = {
        "city": "Leeds",
        "country_name": "UK",
        "cur": "£",
        "email": "a@example.com",
        "parent": "Mum",
        "parent_l": "mum",
        "milestone": "10k",
        "code": "ANNA10",
        "brand": "Glowfield",
        "bh": "glowfield",
        "product": "serum",
        "topic": "yoga",
    }
    rng = random.Random(1)
    slots = Slots(rng, fixed)
    for niche, entry in NICHE_TEXT.items():
        ctx = Ctx(rng, slots, "instagram", "en", "f", [niche], "#leeds")
        slots.pools = ctx.pools[niche]
        assert set(NICHE_POOLS[niche]) >= set(entry["slots"])
        for key in ("posts", "hooks", "bio", "soft"):
            for template in entry[key]:
                assert "{" not in template.format_map(slots), (niche, template)
    slots.pools = L.POOLS
    for group in (L.LIFE, L.OPENERS, L.CLOSERS, L.AD_BODY, L.AD_EXTRA, L.BIO_CTA, L.BIO_LOCATION):
        for template in group:
            template.format_map(slots)
    for code, lang in LANGS.items():
        assert set(lang["topic"]) == set(NICHES), code
        assert set(lang["niche"]) <= set(NICHES), code
        for key in ("generic", "life", "ad_body", "ad_pre", "ad_post", "bio"):
            for template in lang[key]:
                template.format_map(slots)


def test_every_niche_has_its_material():
    assert set(NICHE_TEXT) == set(NICHES)
    for niche, entry in NICHE_TEXT.items():
        assert len(entry["posts"]) >= 10 and len(entry["brands"]) >= 3, niche
        assert set(entry["related"]) <= set(NICHES) and niche not in entry["related"]
        assert set(entry["platforms"]) <= {"instagram", "tiktok", "youtube", "x", "twitch"}
        for soft in entry["soft"]:  # soft bio pieces must not name their own niche
            soft = re.sub(r"\{[a-z_]+\}", "", soft)
            words = NICHE_KEYWORDS[niche]
            assert not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", soft, re.I) for w in words)
    assert set(COUNTRY_LANGUAGE) == set(COUNTRIES)
