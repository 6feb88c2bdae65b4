"""The writing commands over a real store: draft outreach, draft brief, ask, llm status.

The model is switched off (``NICHEMATCH_LLM__PROVIDER=none``) so the commands run fast and
deterministically; the real model is covered by test_llm_local.py.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.models import BrandProfile
from app.service import Nichematch
from app.settings import LLMSettings, Settings
from tests.conftest import SMALL

pytestmark = pytest.mark.integration
BRAND = "data/brand.example.yaml"


@pytest.fixture(scope="module")
def home(tmp_path_factory, embedder):
    """One store with the small fixture, shared by this module's tests."""
    path = tmp_path_factory.mktemp("drafts-home")
    settings = Settings(_env_file=None, home=path, llm=LLMSettings(provider="none"))  # type: ignore[call-arg]
    Nichematch(settings, embedder).ingest([SMALL])
    return path


@pytest.fixture
def store(home, embedder, monkeypatch, request):
    monkeypatch.setenv("NICHEMATCH_LLM__PROVIDER", "none")
    monkeypatch.setenv("NICHEMATCH_HOME", str(home))
    monkeypatch.chdir(request.config.rootpath)  # the example brand file is relative to the repo
    return Nichematch(Settings(home=home), embedder)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_draft_outreach_json_has_text_post_facts_and_grounding(store):
    result = run("draft", "outreach", "t002", "--brand", BRAND, "--json")
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert {"text", "post_id", "facts", "grounding"} <= draft.keys()
    assert draft["grounding"]["ok"] is True and draft["grounding"]["unsupported"] == []
    assert draft["post_id"] == "p6"  # "Plant-based protein bar recipe ..." for a protein bar brand
    assert (
        draft["facts"]["price"]["quoted"] is True and draft["facts"]["price"]["usd_per_post"] == 450
    )
    assert "$450 for 1 TikTok video" in draft["text"]
    assert draft["llm"] == {"provider": "none", "model": None, "used": False, "error": None}


def test_draft_outreach_prints_the_mail_then_subject_and_dm(store):
    result = run("draft", "outreach", "t002", "--brand", BRAND, "--post", "p3")
    assert result.exit_code == 0
    assert result.stdout.startswith("Hi Marco,\n\nYour reel “Vegan lasagne with cashew bechamel")
    assert "\nSubject: GreenBar × @plantplate: paid partnership" in result.stdout
    assert "\nDM: Hi Marco!" in result.stdout


def test_unknown_creators_and_brand_files_are_clear_errors(store, tmp_path, monkeypatch, capsys):
    from app.cli.main import main

    result = CliRunner().invoke(cli, ["draft", "outreach", "nobody", "--brand", BRAND])
    assert "No creator with id nobody" in str(result.exception)
    missing = str(tmp_path / "x.yaml")
    argv = ["nichematch", "draft", "brief", "--brand", missing, "--creators", "t001"]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 2
    assert "no such brand file" in " ".join(capsys.readouterr().err.split())


def test_draft_brief_markdown_and_json(store, tmp_path):
    out = tmp_path / "brief.md"
    result = run("draft", "brief", "--brand", BRAND, "--creators", "t002,t001", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout.startswith("# GreenBar × creators: plant-based protein bars")
    assert out.read_text().strip() == result.stdout.strip()
    data = json.loads(
        run("draft", "brief", "--brand", BRAND, "--creators", "t002,t001", "--json").stdout
    )
    assert [c["handle"] for c in data["creators"]] == ["@plantplate", "@stridesandsplits"]
    assert data["markdown"].startswith("# GreenBar") and data["budget"]["total_usd"] == 3000


def test_ask_answers_from_the_matches(store):
    answer = store.answer(
        "who is cheapest?",
        store.match(store.parse("plant-based food", k=5).request),
        BrandProfile(name="B"),
    )
    assert answer.text.startswith("Cheapest per post:") and answer.grounding.ok


def test_llm_status_without_a_provider_exits_4_with_json(store):
    result = run("llm", "status", "--json")
    assert result.exit_code == 4
    assert json.loads(result.stdout)["provider"] == "none"
