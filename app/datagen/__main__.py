"""Command line: ``python -m app.datagen --n 1500 --seed 7 --out data/creators.jsonl``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .generator import write_jsonl


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, write the JSON Lines file and report what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m app.datagen",
        description="Generate seeded demo creators as JSON Lines.",
    )
    parser.add_argument("--n", type=int, default=1500, help="number of creators (default 1500)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data/creators.jsonl"),
        help="output path (default data/creators.jsonl)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be >= 0")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    count = write_jsonl(args.out, args.n, args.seed)
    elapsed = time.perf_counter() - start
    print(
        f"wrote {count} creators to {args.out} (seed {args.seed}) in {elapsed:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
