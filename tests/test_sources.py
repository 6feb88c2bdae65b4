"""Reading creator files of every supported format, with line numbers."""

from __future__ import annotations

import json

import pytest

from app.errors import InputError
from app.sources import read_records

POST = {"id": "p1", "text": "hello", "likes": 1, "comments": 0, "posted_at": "2026-01-01"}


def test_jsonl_lines_are_numbered_and_blank_lines_skipped(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a"}\n\n{"id": "b"}\nnot json\n', encoding="utf-8")
    items = list(read_records(path))
    assert [i.line for i in items] == [1, 3, 4]
    assert items[1].data == {"id": "b"}
    assert "not valid JSON" in items[2].problem


def test_bom_and_invalid_utf8_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n{"id": "\xff"}\n')
    items = list(read_records(path))
    assert items[0].data == {"id": "a"}
    assert "UTF-8" in items[1].problem


def test_json_array_reports_element_lines(tmp_path):
    path = tmp_path / "c.jsonl"  # wrong extension: the content decides
    path.write_text('[\n  {"id": "a"},\n\n  {"id": "b"}\n]\n', encoding="utf-8")
    items = list(read_records(path))
    assert [(i.line, i.data["id"]) for i in items] == [(2, "a"), (4, "b")]


def test_csv_with_posts_csv(tmp_path):
    (tmp_path / "creators.csv").write_text(
        "id,handle,platform,followers,bio\nc1,@a,instagram,12.5k,Hello\n", encoding="utf-8"
    )
    (tmp_path / "posts.csv").write_text(
        "creator_id,id,text,likes,comments,posted_at\nc1,p1,First post,10,1,2026-01-01\n",
        encoding="utf-8",
    )
    items = list(read_records(tmp_path / "creators.csv"))
    assert items[0].line == 2
    assert items[0].data["posts"][0]["text"] == "First post"


def test_csv_missing_columns_says_which(tmp_path):
    path = tmp_path / "creators.csv"
    path.write_text("name,bio\nA,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="id, handle, platform, followers"):
        list(read_records(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"just some words", "neither")],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_records(path))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_records(tmp_path / "nope.jsonl"))


def test_deeply_nested_garbage_is_a_line_problem(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + json.dumps({"id": "ok"}) + "\n"
    )
    items = list(read_records(path))
    assert items[0].problem and items[1].data == {"id": "ok"}
