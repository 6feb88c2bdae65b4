"""Brand profile files (YAML): name, product, description, values, audience, budget, ..."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from app.errors import InputError
from app.models import BrandProfile

EXAMPLE = "data/brand.example.yaml"


def load_brand(path: Path) -> BrandProfile:
    """The brand profile in a YAML (or JSON) file; a clear error says what to fix."""
    if not path.is_file():
        raise InputError(f"{path}: no such brand file; copy {EXAMPLE} and edit it.")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError(f"{path} is not valid YAML ({error}); compare with {EXAMPLE}.") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path} must hold a mapping of fields (name: ..., product: ...).")
    if isinstance(raw.get("values"), str):
        raw["values"] = [part.strip() for part in raw["values"].split(",") if part.strip()]
    if isinstance(raw.get("competitors"), str):
        raw["competitors"] = [p.strip() for p in raw["competitors"].split(",") if p.strip()]
    if "budget" in raw and "budget_usd" not in raw:
        raw["budget_usd"] = raw.pop("budget")
    try:
        return BrandProfile.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, item['loc']))}: {item['msg']}" for item in error.errors()
        )
        raise InputError(f"{path}: {problems}. Compare it with {EXAMPLE}.") from None


def example_brand() -> BrandProfile:
    """The example brand shipped in ``data/brand.example.yaml``."""
    return load_brand(Path(__file__).resolve().parent.parent.parent / EXAMPLE)
