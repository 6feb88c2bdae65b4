"""Child-process steps of ``nichematch bench``: ``build`` or ``measure`` one store size.

Prints one JSON object on its last line. Run by the benchmark itself; by hand, e.g.
``python -m app.benchmark build --size 10000 --seed 7 --posts all --home ~/.nichematch``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.benchmark.phases import build_size, measure_matching
from app.benchmark.workload import SizeSpec
from app.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.benchmark")
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--posts", default="all", help="posts kept per creator, or 'all'")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--home", type=Path, required=True)
    args = parser.parse_args(argv)
    settings = load_settings(home=args.home)
    spec = SizeSpec(args.size, args.seed, None if args.posts == "all" else int(args.posts))
    if args.step == "build":
        print(json.dumps(build_size(settings, spec)), flush=True)
    else:
        print(json.dumps(measure_matching(settings, spec, args.queries)), flush=True)


if __name__ == "__main__":
    main()
