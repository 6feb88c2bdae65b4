"""The evaluation and the hybrid matcher end to end, with the real store and model (small data)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.datagen import write_jsonl
from app.errors import InputError
from app.evaluation import (
    dcg,
    evaluate,
    judgments_from_true_niches,
    load_corpus,
    percentile,
    read_briefs,
    read_labels,
    score_ranking,
)
from app.service import Nichematch
from app.settings import Settings
from retrieval.chain import CreatorRetriever
from retrieval.filters import violations

N_CREATORS = 24


def test_metrics_by_hand() -> None:
    judged = {"a": {"x": 2}, "b": {"x": 1}, "c": {"y": 1}}
    precision, ndcg, recall = score_ranking(["c", "a"], "x", ["a", "b", "c"], judged)
    assert precision == 0.1
    assert recall == 0.5
    assert ndcg == pytest.approx((3 / 1.5849625) / (3 + 1 / 1.5849625))
    assert dcg([2, 1]) == pytest.approx(3 + 1 / 1.5849625)
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([], 95) == 0.0


def test_briefs_and_labels_files_are_checked(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs.tsv"
    briefs.write_text("# comment\nfood\tpasta sauce\n\npets\tdog toys\n", encoding="utf-8")
    assert [b.category for b in read_briefs(briefs)] == ["food", "pets"]
    briefs.write_text("food pasta sauce without a tab\n", encoding="utf-8")
    with pytest.raises(InputError, match="category<TAB>brief"):
        read_briefs(briefs)
    labels = tmp_path / "labels.csv"
    labels.write_text("creator,label\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="id,category"):
        read_labels(labels)
    with pytest.raises(InputError, match="true_niches"):
        judgments_from_true_niches([{"id": "x"}])


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("evalcorpus")
    corpus = folder / "creators.jsonl"
    write_jsonl(corpus, N_CREATORS, seed=11)
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    labels = folder / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "category"])
        for record in records:
            writer.writerow([record["id"], record["true_niches"][0]])
    common = [niche for niche, _ in Counter(r["true_niches"][0] for r in records).most_common(3)]
    briefs = folder / "briefs.tsv"
    lines = [f"{niche}\t{niche} content for our new product" for niche in common]
    lines.append(f"{common[0]}\t{common[0]} creators on Instagram with engagement above 1%")
    briefs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"corpus": corpus, "labels": labels, "briefs": briefs}


@pytest.fixture(scope="module")
def ingested(corpus_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, embedder):
    settings = Settings(home=tmp_path_factory.mktemp("evalhome"))
    service = Nichematch(settings, embedder=embedder)
    service.ingest([corpus_files["corpus"]])
    return service


@pytest.mark.integration
def test_evaluate_measures_system_and_both_baselines(
    ingested: Nichematch, corpus_files: dict[str, Path]
) -> None:
    corpus = load_corpus(corpus_files["corpus"], ingested.settings)
    judged = read_labels(corpus_files["labels"])
    results = evaluate(ingested, corpus, judged, read_briefs(corpus_files["briefs"]))
    systems = results["systems"]
    assert isinstance(systems, dict)
    assert set(systems) == {"system", "dense_baseline", "bm25_baseline"}
    for figures in systems.values():
        assert figures["hard_filter_violations"] == 0
        assert 0.0 <= figures["precision_at_10"] <= 1.0
        assert figures["latency_p95_ms"] >= figures["latency_p50_ms"] > 0
    # Briefs that name the niche: the system must find mostly relevant creators.
    assert systems["system"]["ndcg_at_10"] >= 0.5


@pytest.mark.integration
def test_plain_language_match_respects_parsed_and_explicit_filters(ingested: Nichematch) -> None:
    result = ingested.match_brief("creators on Instagram with engagement above 1% for snacks")
    request = result.parsed.request
    assert request.platforms == ["instagram"] and request.min_engagement == 1.0
    metas = ingested.store.get_creators([m.creator_id for m in result.matches])
    assert all(not violations(request, metas[m.creator_id]) for m in result.matches)
    # An explicit flag wins over what the brief says.
    overridden = ingested.match_brief("creators on Instagram for snacks", {"platforms": ["tiktok"]})
    assert overridden.parsed.request.platforms == ["tiktok"]
    assert all(m.platform == "tiktok" for m in overridden.matches)


@pytest.mark.integration
def test_matches_carry_separate_explained_scores(ingested: Nichematch) -> None:
    matches = ingested.match_brief("healthy recipes and home cooking").matches
    assert matches
    top = matches[0]
    assert top.scores is not None and top.scores.price is not None
    assert 0 < top.scores.fit <= 1
    assert top.evidence and all(e.text for e in top.evidence)
    assert any("percentile" in reason or "too few" in reason for reason in top.reasons)
    assert any("per post" in reason for reason in top.reasons)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) or len({m.creator_id for m in matches}) == len(
        matches
    )


@pytest.mark.integration
def test_excluded_handles_never_come_back(ingested: Nichematch) -> None:
    first = ingested.match_brief("healthy recipes and home cooking").matches[0]
    again = ingested.match_brief(f"healthy recipes and home cooking, excluding {first.handle}")
    assert first.creator_id not in {m.creator_id for m in again.matches}


@pytest.mark.integration
def test_langchain_retriever_returns_creator_documents(ingested: Nichematch) -> None:
    retriever = CreatorRetriever(parse=ingested.parse, rank=ingested.match)
    documents = retriever.invoke("healthy recipes and home cooking, top 3")
    assert 0 < len(documents) <= 3
    assert all(doc.metadata["creator_id"] and doc.page_content for doc in documents)


@pytest.mark.integration
def test_eval_command_json_on_any_corpus(
    corpus_files: dict[str, Path], ingested: Nichematch, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli.main import cli

    monkeypatch.setattr("app.service.load_embedder", lambda _settings: embedder)
    store_dir = ingested.settings.home  # a kept store is reused: nothing is embedded again
    args = ["eval", "--corpus", str(corpus_files["corpus"]), "--labels"]
    args += [str(corpus_files["labels"]), "--briefs", str(corpus_files["briefs"])]
    result = CliRunner().invoke(cli, [*args, "--store-dir", str(store_dir), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["creators"] == N_CREATORS
    assert report["systems"]["system"]["hard_filter_violations"] == 0
    assert store_dir.is_dir()  # kept for the next run
    missing = CliRunner().invoke(cli, ["eval", "--corpus", str(corpus_files["corpus"])])
    assert missing.exit_code != 0


@pytest.mark.integration
def test_lexical_snapshot_is_rebuilt_after_an_ingest(
    ingested: Nichematch, corpus_files: dict[str, Path], tmp_path: Path
) -> None:
    before = ingested.matcher.corpus.get()
    extra = tmp_path / "extra.jsonl"
    record = json.loads(corpus_files["corpus"].read_text(encoding="utf-8").splitlines()[0])
    record.update(id="extra-1", handle="@extra_one")
    extra.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingested.ingest([extra])
    after = ingested.matcher.corpus.get()
    assert after is not before
    assert "extra-1" in after.index_of and "extra-1" not in before.index_of
