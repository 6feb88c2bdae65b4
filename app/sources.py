"""Reading creator files: JSON Lines, a JSON array, or CSV (``creators.csv`` + ``posts.csv``).

Each reader yields :class:`RawItem` with the line number the record starts on, so every reject
can be reported by line. The format is sniffed from the content, not trusted from the extension.
A file that cannot be read at all raises :class:`~app.errors.InputError` with what to do.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import InputError

FORMAT_HINT = (
    "Give a JSON Lines file (one creator object per line), a JSON array of creators, or a "
    "creators.csv (with an optional posts.csv beside it); see the README's 'Creator data'."
)
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class RawItem:
    """One raw record, or the reason it could not even be parsed."""

    line: int
    data: Any = None
    problem: str | None = None


def read_records(path: Path) -> Iterator[RawItem]:
    """Yield the raw records of a creator file, whatever its supported format."""
    if not path.exists():
        raise InputError(f"{path}: no such file. Check the path. {FORMAT_HINT}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; name the creator file inside it.")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(f"{path} is empty. {FORMAT_HINT}")
    if b"\x00" in head:
        raise InputError(f"{path} looks like a binary file, not text. {FORMAT_HINT}")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"[":
        return _read_json_array(path)
    if first == b"{":
        return _read_jsonl(path)
    if path.suffix.lower() in (".csv", ".tsv") or b"," in head.split(b"\n", 1)[0]:
        return _read_csv(path)
    raise InputError(f"{path}: the content is neither JSON nor CSV. {FORMAT_HINT}")


def _read_jsonl(path: Path) -> Iterator[RawItem]:
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            if number == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
                raw_line = raw_line[3:]
            if not raw_line.strip():
                continue
            try:
                text = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RawItem(number, problem=f"not valid UTF-8 (byte {exc.start}); save as UTF-8")
                continue
            try:
                yield RawItem(number, data=json.loads(text))
            except json.JSONDecodeError as exc:
                yield RawItem(number, problem=f"not valid JSON ({exc.msg} at column {exc.colno})")
            except RecursionError:
                yield RawItem(number, problem="JSON nested too deeply")


def _read_json_array(path: Path) -> Iterator[RawItem]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not valid UTF-8 (byte {exc.start}); save it as UTF-8."
        ) from None
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    length = len(text)
    while True:
        while position < length and text[position] in " \t\r\n,":
            position += 1
        if position >= length:
            raise InputError(f"{path}: the JSON array is not closed with ']'. {FORMAT_HINT}")
        if text[position] == "]":
            return
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield RawItem(
                line, problem=f"not valid JSON ({exc.msg}); the rest of the array is unreadable"
            )
            return
        except RecursionError:
            yield RawItem(
                line, problem="JSON nested too deeply; the rest of the array is unreadable"
            )
            return
        yield RawItem(line, data=value)


def _decode_csv(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not valid UTF-8 (byte {exc.start}); save it as UTF-8."
        ) from None


_CREATOR_ALIASES = {
    "creator_id": "id",
    "username": "handle",
    "user": "handle",
    "followers_count": "followers",
    "follower_count": "followers",
    "following_count": "following",
    "description": "bio",
    "rate": "rate_usd",
}
_POST_ALIASES = {"post_id": "id", "caption": "text", "date": "posted_at", "timestamp": "posted_at"}


def _rows(path: Path, aliases: dict[str, str]) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    text = _decode_csv(path)
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [aliases.get(h.strip().lower(), h.strip().lower()) for h in reader.fieldnames or []]
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict]]:
        for row in reader:
            line = reader.line_num
            extra = row.pop(None, None)  # type: ignore[call-overload]
            if extra:
                row["__extra__"] = extra
            yield line, row

    return header, rows()


def _read_csv(path: Path) -> Iterator[RawItem]:
    header, rows = _rows(path, _CREATOR_ALIASES)
    missing = [
        column for column in ("id", "handle", "platform", "followers") if column not in header
    ]
    if missing:
        raise InputError(
            f"{path}: the CSV has no column {', '.join(missing)} (columns found: "
            f"{', '.join(header) or 'none'}). Name the columns id, handle, platform, followers, "
            "bio, ... as in the README."
        )
    posts_by_creator = (
        _read_posts_csv(path.with_name("posts.csv")) if path.name != "posts.csv" else {}
    )
    for line, row in rows:
        if "__extra__" in row:
            yield RawItem(
                line, problem=f"{len(row['__extra__'])} more value(s) than columns; check quoting"
            )
            continue
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        posts = posts_by_creator.get(str(record.get("id") or "").strip(), [])
        inline = record.pop("posts", None)
        if inline:
            try:
                posts = json.loads(inline)
            except json.JSONDecodeError:
                yield RawItem(line, problem="posts column is not a JSON list")
                continue
        record["posts"] = posts
        yield RawItem(line, data=record)


def _read_posts_csv(path: Path) -> dict[str, list[dict[str, Any]]]:
    if not path.exists():
        return {}
    header, rows = _rows(path, _POST_ALIASES)
    if "creator_id" not in header or "text" not in header:
        raise InputError(
            f"{path}: posts.csv needs the columns creator_id and text (found: {', '.join(header)})."
        )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for _line, row in rows:
        row.pop("__extra__", None)
        creator_id = (row.pop("creator_id", None) or "").strip()
        if creator_id:
            grouped.setdefault(creator_id, []).append({k: v for k, v in row.items() if v != ""})
    return grouped
