"""`tracker extract`: patterns on short hand-written texts, the CLI, and the YAML it writes."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest
import yaml
from typer.testing import CliRunner

from tracker.cli.extract import app
from tracker.errors import InputError
from tracker.extract import extract, to_yaml
from tracker.extract.amounts import find_amounts
from tracker.extract.cues import classify
from tracker.extract.horizons import find_deadline
from tracker.extract.speakers import attribute, find_actors

SAID = date(2024, 5, 20)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("to reach the $1 billion mark", 1000, "USD million"),
        ("a stable base of $500 million", 500, "USD million"),
        (r"pay about \$200 million in debt", 200, "USD million"),
        ("St. Petersburg ports – 6.647 million tons (70.3%", 6_647_000, "tonne"),
        ("Caspian Sea ports – 38 thousand tons", 38_000, "tonne"),
        ("amounted to 63.1 percent in 2022", 63.1, "percent"),
        ("worth 2.5 billion euros", 2500, "EUR million"),
        ("1,200 barrels a day", 1200, "barrel"),
    ],
)
def test_amounts_are_normalised(text: str, value: float, unit: str) -> None:
    (amount,) = [a for a in find_amounts(text) if a.unit == unit]
    assert amount.value == pytest.approx(value)
    assert text[amount.start:amount.end] == amount.surface


def test_no_amount_in_model_names() -> None:
    assert find_amounts("Baku purchased 153 T-72 tanks in 2002–12") == []


@pytest.mark.parametrize(
    ("sentence", "deadline", "basis"),
    [
        ("to reach the $1 billion mark within a year and a half.", date(2025, 11, 30), "explicit"),
        ("The plant will open by November.", date(2024, 11, 30), "explicit"),
        ("The plant will open by March.", date(2025, 3, 31), "explicit"),
        ("The agreement runs until 2025.", date(2025, 12, 31), "explicit"),
        ("Supplies in 2025 will exceed last year's.", date(2025, 12, 31), "explicit"),
        ("a roadmap for bilateral cooperation in 2023–2025.", date(2025, 12, 31), "explicit"),
        ("Trade will double by the end of the year.", date(2024, 12, 31), "explicit"),
        ("They may sign it within two years.", date(2026, 5, 31), "explicit"),
        ("In the near future, the two may form a union.", date(2025, 5, 31), "implied"),
        ("Cooperation may gain momentum.", date(2026, 5, 31), "implied"),
    ],
)
def test_deadlines(sentence: str, deadline: date, basis: str) -> None:
    found = find_deadline(sentence, SAID)
    assert (found.on, found.basis) == (deadline, basis)


@pytest.mark.parametrize(
    "sentence",
    [
        "Belarusian companies will take part in the reconstruction.",
        "Minsk plans to open a service centre in Baku.",
        "Baku is aiming to respond to the deployment.",
        "Trade is expected to grow next year.",
        "The two countries should cooperate more closely.",
        "Belarus could play an important role in these contacts.",
        "Azerbaijan may adopt heavy rocket systems.",
        "The sides signed an agreement to build a fertilizer plant in Ganja.",
    ],
)
def test_plans_and_predictions_are_candidates(sentence: str) -> None:
    cue = classify(sentence, has_amount=False, has_actor=False)
    assert cue is not None and cue.kind == "proposition"


def test_reported_figures_are_observations() -> None:
    cue = classify("Trade climbed above $400 million in 2023.", has_amount=True, has_actor=False)
    assert cue is not None and cue.kind == "observation"


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2007, Minsk and Baku signed the Treaty on Friendship and Cooperation.",
        "The first presidential-level visits took place in 2006 and 2007.",
        "It would take only a few conversations with officials in Minsk to realize that.",
        "What would be Russia's response to such a game by Minsk and Baku?",
    ],
)
def test_description_is_skipped(sentence: str) -> None:
    assert classify(sentence, has_amount=False, has_actor=True) is None


def test_speakers_from_reporting_verbs() -> None:
    text = dedent("""\
        Belarusian President Alyaksandr Lukashenka visited Baku. Belarusian analyst, Arsen Sivitsky, disagreed.
        Lukashenko said trade would grow.
        “We will do everything,” emphasized the Belarusian president.
        According to Sivitsky, Moscow wants to rid itself of both.
        """)
    actors = find_actors(text)
    assert [(a.id, a.role, a.country) for a in actors] == [
        ("lukashenka", "official", "BY"), ("sivitsky", "analyst", "BY")]
    lines = text.splitlines()
    assert [getattr(attribute(line, actors), "actor_id", None) for line in lines] == [
        None, "lukashenka", "lukashenka", "sivitsky"]


ARTICLE = dedent("""\
    # Belarus and Azerbaijan plan more trade

    ## Jane Analyst

    The current bilateral trade turnover reaches $450 million per year.
    President Lukashenko plans to double this figure in two steps: first, to bring the turnover to a stable base of $500 million, and then, within a year and a half, to reach the $1 billion mark.
    Trade climbed above $400 million in 2023 but stayed below the record of $885.5 million in 2021.
    In 2007, Minsk and Baku signed the Treaty on Friendship and Cooperation.
    In the near future, Belarus and Azerbaijan may confirm being in a de facto union.
    """)


def test_draft_of_a_short_article() -> None:
    draft = extract(ARTICLE, published=SAID, file_name="x.txt")
    assert next(iter(draft)) == "draft" and draft["draft"] is True
    assert draft["sources"] == [{"id": "analyst-2024", "title": "Belarus and Azerbaijan plan more trade",
                                 "published": SAID, "author": "Jane Analyst", "file": "x.txt"}]
    target, union = draft["propositions"]
    assert ARTICLE[slice(*target["span"])] == target["quote"]
    assert target["quote"].startswith("President Lukashenko plans to double")
    assert (target["kind"], target["target"], target["deadline"]) == ("target", {"op": ">=", "value": 1000}, date(2025, 11, 30))
    assert target["baseline"] == {"value": 500, "as_of": 2023}
    assert target["stated_by"] == "lukashenko"
    assert (union["kind"], union["deadline_basis"], union["stated_by"]) == ("event", "implied", "analyst")
    observed = [m for m in draft["metrics"] if "observations" in m]
    assert [(o["as_of"], o["value"]) for m in observed for o in m["observations"]] == [(2023, 400), (2021, 885.5)]


def test_draft_references_are_defined() -> None:
    draft = extract(ARTICLE, published=SAID)
    actors = {a["id"] for a in draft["actors"]}
    metrics = {m["id"] for m in draft.get("metrics", [])}
    ids = [p["id"] for p in draft["propositions"]] + list(actors) + list(metrics)
    assert len(ids) == len(set(ids))
    for proposition in draft["propositions"]:
        assert proposition["source"] == draft["sources"][0]["id"]
        assert proposition["stated_by"] in actors
        assert proposition.get("metric", next(iter(metrics))) in metrics


def test_yaml_round_trips_with_draft_first() -> None:
    draft = extract(ARTICLE, published=SAID)
    text = to_yaml(draft)
    assert text.startswith("draft: true\n")
    assert "&id" not in text and "span: [" in text
    assert yaml.safe_load(text) == draft


def test_extraction_is_deterministic() -> None:
    assert to_yaml(extract(ARTICLE, published=SAID)) == to_yaml(extract(ARTICLE, published=SAID))


def test_cli_prints_yaml(tmp_path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, [str(path), "--published", "2024-05-20", "--source-id", "jane-2024"])
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(result.output)
    assert draft["draft"] is True and draft["sources"][0]["id"] == "jane-2024"


def test_cli_writes_only_where_told(tmp_path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(app, [str(path), "-o", str(out)])
    assert result.exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["draft"] is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "draft.yaml"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "no such file"),
        (b"\xff\xfe caf\xe9", [], "not UTF-8 text"),
        (ARTICLE.encode(), ["--published", "20 May"], "--published '20 May': not a date; write it as YYYY-MM-DD"),
    ],
)
def test_cli_bad_input(tmp_path, content, args, message) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(app, [str(path), *args])
    assert isinstance(result.exception, InputError)
    assert message in str(result.exception)
