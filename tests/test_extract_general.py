"""`tracker extract`, fourth round: general rules (a grammar of titles, cues, months and amounts), one
hand-written case each, none taken from a labelled article."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest

from tracker.extract import extract

SAID = date(2025, 3, 10)


def draft_of(text: str, **kwargs):  # type: ignore[no-untyped-def]
    """The draft of a dedented article, published on SAID unless told otherwise."""
    kwargs.setdefault("published", SAID)
    return extract(dedent(text), **kwargs)


def only(draft, words: str):  # type: ignore[no-untyped-def]
    """The one drafted proposition whose quote holds `words`."""
    (found,) = [p for p in draft["propositions"] if words in p["quote"]]
    return found


def speaker_of(draft, words: str) -> str:  # type: ignore[no-untyped-def]
    """The name of the actor who states the proposition whose quote holds `words`."""
    proposition = only(draft, words)
    actors = {a["id"]: a["name"] for a in draft["actors"]}
    return actors.get(proposition["stated_by"], proposition["stated_by"])


# --- speakers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "introduction",
    [
        "Second Deputy Minister of Industry of Kazakhstan Arman Tulegenov",
        "Deputy Chairman of the Board of the Development Fund of Mongolia Arman Tulegenov",
        "Ambassador Extraordinary and Plenipotentiary of the Republic of Kazakhstan to the Republic of Belarus Arman Tulegenov",
        "the first deputy minister of agriculture of Kazakhstan Arman Tulegenov",
    ],
)
def test_a_title_with_several_complements_makes_the_name_a_person(introduction: str) -> None:
    draft = draft_of(f"""
        {introduction} said on Friday that the two countries will open a joint dairy plant in Kostanay in 2026.
        """)
    assert speaker_of(draft, "joint dairy plant") == "Arman Tulegenov"


def test_a_place_after_a_title_is_no_person() -> None:
    draft = draft_of("""
        The head of state said he would be glad to welcome the President of Ghana to Minsk on an official visit.
        “We will build a tractor assembly line in Accra next year,” the President emphasized.
        """)
    assert "Minsk" not in {a["name"] for a in draft["actors"]}


def test_a_sentence_opening_word_is_no_name_and_a_passive_names_its_agent() -> None:
    draft = draft_of("""
        As noted by Mr. Kovalenko, the plant will double its output of buses by 2027.
        """)
    assert speaker_of(draft, "double its output") == "Kovalenko"
    assert "As" not in {a["name"] for a in draft["actors"]}


def test_a_plan_named_by_a_noun_takes_no_speaker_after_it() -> None:
    draft = draft_of("""
        A draft two-year plan to develop the Free Economic Zone will be submitted to the Council of Ministers, Governor of Brest Oblast Pyotr Parkhomchik said.
        """)
    assert speaker_of(draft, "two-year plan") == "Pyotr Parkhomchik"


@pytest.mark.parametrize(
    ("introduction", "reference"),
    [
        ("Belarusian Minister of Agriculture Yuri Gorlov", "the minister"),
        ("economic researcher at the Institute of Economics of the Academy of Sciences Irina Tochitskaya", "the economist"),
        ("Olga Levina, head of a consulting centre in Gomel", "the expert"),
    ],
)
def test_a_role_noun_reaches_the_person_of_that_kind(introduction: str, reference: str) -> None:
    draft = draft_of(f"""
        {introduction} told reporters about the harvest.
        "Grain exports to China could reach a record this year," {reference} said.
        """)
    assert speaker_of(draft, "Grain exports to China") in introduction


def test_the_protagonist_of_the_lead_is_the_president_on_a_tie() -> None:
    draft = draft_of("""
        Belarusian President Aleksandr Lukashenko has sent greetings to President Samia Suluhu Hassan of Tanzania.
        “I hope that next year we will launch joint projects in agriculture,” the President emphasized.
        """)
    assert speaker_of(draft, "launch joint projects") == "Aleksandr Lukashenko"


# --- cues ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister is also scheduled to open the Belarusian trade house in Hanoi.",
        "Kovalenko said the company was ready to supply fifty buses to Tashkent.",
        "The delegation is firmly determined to sign the agreement on customs cooperation.",
        "The ministry envisions a new logistics centre near the border.",
        "The programme stipulates the construction of two grain terminals.",
        "Belarusian dairy producers have a good chance to enter the Egyptian market.",
        "The chances of a second phase of the project being approved are high.",
        "There is every chance that the joint venture will break even.",
        "The parties hoped that the commission would meet again in the autumn.",
    ],
)
def test_forms_of_intention_and_likelihood_are_candidates(sentence: str) -> None:
    assert [p["quote"] for p in draft_of(sentence)["propositions"]] == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "The growth is due to the record harvest of grain and rapeseed.",
        "The visit had initially been scheduled for late 2020, but it was postponed.",
        "There are opportunities for cooperation in aircraft manufacturing.",
        "We still have hope for establishing peace and settling relations.",
        "The government handed over a utility vehicle, intended for use in these regions.",
    ],
)
def test_causes_past_plans_and_opportunities_are_not_candidates(sentence: str) -> None:
    assert draft_of(sentence)["propositions"] == []
