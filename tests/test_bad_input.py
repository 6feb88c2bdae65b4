"""A corpus of malformed records and files: each bad record is rejected with its line number and
a reason (or repaired and reported), every valid record in the same file goes in, nothing crashes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.errors import InputError
from app.service import Nichematch

pytestmark = pytest.mark.integration

POST = {
    "id": "p1",
    "text": "Morning tempo run by the river",
    "likes": 120,
    "comments": 8,
    "posted_at": "2026-10-01T07:00:00Z",
    "kind": "photo",
}
BASE = {
    "id": "x",
    "handle": "@runner",
    "name": "R",
    "platform": "instagram",
    "bio": "Running and coffee.",
    "country": "DE",
    "followers": 12000,
    "posts": [POST, {**POST, "id": "p2", "text": "Track intervals, 6 x 1 km"}],
}


def rec(rid: str, **changes: object) -> dict:
    raw = copy.deepcopy(BASE)
    raw["id"] = rid
    raw["handle"] = f"@{rid}"
    raw.update(changes)
    return raw


def post(**changes: object) -> dict:
    return {**POST, **changes}


# (kind, line text, expected outcome: "ok" | "repaired" | "rejected", reason fragment)
def corpus() -> list[tuple[str, str, str, str]]:
    d = json.dumps
    big_bio = "word " * 220_000  # ~1.1 MB
    nested = '{"id": "n1", "bio": ' + "[" * 50_000 + "]" * 50_000 + "}"
    return [
        ("valid", d(rec("ok1")), "ok", ""),
        ("missing id", d({k: v for k, v in rec("z").items() if k != "id"}), "rejected", "id"),
        ("duplicate id", d(rec("ok1", handle="@other")), "rejected", "duplicate"),
        ("negative followers", d(rec("b1", followers=-10)), "rejected", "negative"),
        ("non-numeric followers", d(rec("b2", followers="many")), "rejected", "followers"),
        ("followers 12.5k", d(rec("r1", followers="12.5k")), "repaired", "12.5k"),
        ("followers 1.2M", d(rec("r2", followers="1.2M")), "repaired", "1.2M"),
        ("followers 12,500", d(rec("r3", followers="12,500")), "repaired", "12,500"),
        (
            "likes above followers x10",
            d(rec("r4", posts=[POST, post(id="p9", likes=10**7)])),
            "repaired",
            "likes",
        ),
        ("empty posts list", d(rec("b3", posts=[])), "rejected", "posts"),
        (
            "post without text",
            d(rec("r5", posts=[POST, post(id="p9", text="")])),
            "repaired",
            "no text",
        ),
        ("only posts without text", d(rec("b4", posts=[post(text="")])), "rejected", "posts"),
        (
            "odd date formats",
            d(
                rec(
                    "r6",
                    posts=[post(posted_at="14 March 2026"), post(id="p2", posted_at=1767225600)],
                )
            ),
            "repaired",
            "read as",
        ),
        (
            "unreadable date",
            d(rec("r7", posts=[POST, post(id="p9", posted_at="soonish")])),
            "repaired",
            "not a date",
        ),
        ("unknown platform", d(rec("b5", platform="friendster")), "rejected", "platform"),
        ("invalid country", d(rec("r8", country="Atlantis")), "repaired", "country"),
        ("email not an email", d(rec("r9", email="ping me on insta")), "repaired", "e-mail"),
        (
            "html and script in bio",
            d(rec("ok2", bio="<script>alert(1)</script><b>hi</b>")),
            "ok",
            "",
        ),
        (
            "control characters",
            d(rec("r10", bio="tab\there\x00null\x1bescape")),
            "repaired",
            "control",
        ),
        ("1 MB bio", d(rec("r11", bio=big_bio)), "repaired", "cut"),
        ("deeply nested garbage", nested, "rejected", "nested"),
        ("json array on a line", d([rec("b6")]), "rejected", "object"),
        ("a bare string", d("just text"), "rejected", "object"),
        ("not json", "{id: c1, followers: 10", "rejected", "JSON"),
        ("missing handle", d(rec("b7", handle="")), "rejected", "handle"),
        (
            "missing followers",
            d({k: v for k, v in rec("b8").items() if k != "followers"}),
            "rejected",
            "followers",
        ),
        ("posts not a list", d(rec("b9", posts="p1,p2")), "rejected", "posts"),
        ("post not an object", d(rec("r12", posts=[POST, "oops"])), "repaired", "not an object"),
        (
            "negative likes",
            d(rec("r13", posts=[POST, post(id="p9", likes=-4)])),
            "repaired",
            "negative",
        ),
        ("rate not a price", d(rec("r14", rate_usd="ask me")), "repaired", "rate_usd"),
        ("language not a code", d(rec("r15", language="english")), "repaired", "language"),
        ("platform alias", d(rec("r16", platform="Twitter")), "repaired", "read as x"),
        ("country by name", d(rec("r17", country="Brazil")), "repaired", "BR"),
        ("fractional followers", d(rec("r18", followers=12000.7)), "repaired", "rounded"),
        ("duplicate post ids", d(rec("r19", posts=[POST, POST])), "repaired", "repeated"),
        ("bio not text", d(rec("b10", bio={"a": 1})), "rejected", "bio"),
        ("id far too long", d(rec("i" * 300)), "rejected", "id"),
        ("numeric id", d(rec("ok3") | {"id": 4242}), "ok", ""),
        ("extra unknown fields", d(rec("ok4", shoe_size=42, tags={"a": 1})), "ok", ""),
        ("niches as a string", d(rec("ok5", niches="running|coffee")), "ok", ""),
    ]


def write_corpus(path: Path) -> list[tuple[int, str, str, str]]:
    rows = corpus()
    lines, expected = [], []
    for kind, text, outcome, fragment in rows:
        lines.append(text)
        expected.append((len(lines), kind, outcome, fragment))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"id": "u1", "bio": "\xff"}\n')
    expected.append((len(lines) + 1, "invalid utf-8", "rejected", "UTF-8"))
    return expected


@pytest.fixture
def service(settings, embedder) -> Nichematch:
    return Nichematch(settings, embedder)


def test_every_bad_record_is_reported_and_every_good_one_goes_in(service, tmp_path):
    path = tmp_path / "messy.jsonl"
    expected = write_corpus(path)
    assert len(expected) >= 30
    report = service.ingest([path])
    rejected = {r.line: r.reason for r in report.rejects}
    repaired = {r.line: " | ".join(r.notes) for r in report.repairs}
    for line, kind, outcome, fragment in expected:
        if outcome == "rejected":
            assert line in rejected, f"{kind} (line {line}) was not rejected"
            assert fragment.lower() in rejected[line].lower(), (kind, rejected[line])
        elif outcome == "repaired":
            assert line in repaired and line not in rejected, f"{kind} (line {line})"
            assert fragment.lower() in repaired[line].lower(), (kind, repaired[line])
        else:
            assert line not in rejected and line not in repaired, kind
    taken = sum(1 for _, _, outcome, _ in expected if outcome != "rejected")
    assert report.ingested == taken
    assert service.stats()["creators"] == taken
    stored = service.store.get_creators(["ok2", "4242", "r11"])
    assert "<script>" in json.loads(stored["ok2"]["record"])["creator"]["bio"]  # kept as text
    assert set(stored) == {"ok2", "4242", "r11"}
    rows = report.rejects_file.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(report.rejects) + len(report.repairs)


def test_json_array_file_csv_variants_and_wrong_extension(service, tmp_path):
    array = tmp_path / "creators.jsonl"  # an array where lines were expected
    array.write_text(json.dumps([rec("a1"), rec("a2", followers=-1)], indent=2))
    report = service.ingest([array])
    assert report.ingested == 1 and report.rejects[0].line > 1

    csv_path = tmp_path / "creators.csv"  # renamed columns + a row with an extra value
    csv_path.write_text(
        "\ufeffcreator_id,username,platform,followers_count,bio\n"
        "c1,@csvone,instagram,12.5k,Trail running\n"
        "c2,@csvtwo,tiktok,3000,Baking,EXTRA\n",
        encoding="utf-8",
    )
    (tmp_path / "posts.csv").write_text(
        "creator_id,post_id,caption,likes,comments,date\n"
        "c1,p1,Hill repeats at dawn,100,5,2026-09-01\n"
        "c2,p1,Sourdough crumb shot,50,2,2026-09-02\n",
        encoding="utf-8",
    )
    report = service.ingest([csv_path])
    assert report.ingested == 1 and report.rejects[0].line == 3
    assert "more value" in report.rejects[0].reason

    wrong = tmp_path / "creators.txt"  # JSON Lines under a wrong extension
    wrong.write_text(json.dumps(rec("w1")) + "\n")
    assert service.ingest([wrong]).ingested == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x7fELF\x00\x00binary", "binary"), (b"name,bio\nA,B\n", "no column")],
)
def test_unreadable_files_raise_a_clear_error(service, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        service.ingest([path])
