"""`tracker extract`, fourth round: general rules (a grammar of titles, cues, months and amounts), one
hand-written case each, none taken from a labelled article."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest

from tests.growth import growth
from tracker.extract import extract
from tracker.extract.amounts import find_amounts

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
        "Chairman of the Committee for Investments of the Ministry of Foreign Affairs of Kazakhstan Arman Tulegenov",
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


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("The joint commission will meet in mid-April in Tashkent.", date(2025, 4, 15)),
        ("The minister will travel to Hanoi in coming May.", date(2025, 5, 31)),
        ("The minister will travel to Hanoi in the coming March.", date(2026, 3, 31)),
        ("On April 2, the delegation will arrive in Nairobi.", date(2025, 4, 2)),
        ("The fair will take place at the end of June 2025.", date(2025, 6, 30)),
        ("Deliveries will resume by early September.", date(2025, 9, 30)),
    ],
)
def test_a_month_with_its_modifiers_and_a_capitalised_preposition(sentence: str, deadline: date) -> None:
    (proposition,) = draft_of(sentence)["propositions"]
    assert (proposition["deadline"], proposition["deadline_basis"]) == (deadline, "explicit")


@pytest.mark.parametrize(
    "sentence",
    [
        "Output grew by 2.1% in January-February, and the ministry expects growth to continue.",
        "The parties will review the agreements reached in January and February 2025.",
    ],
)
def test_a_past_span_or_list_of_months_is_no_deadline(sentence: str) -> None:
    (proposition,) = draft_of(sentence)["propositions"]
    assert proposition["deadline_basis"] == "implied"


def test_the_horizon_nearest_the_prediction_dates_it() -> None:
    draft = draft_of("""
        Activity in Q2-2025 is weak, which increases the likelihood of a recession by the end of the year.
        By 2027, the two countries will sign a free trade agreement, the minister said in the first quarter.
        """)
    assert only(draft, "recession")["deadline"] == date(2025, 12, 31)
    assert only(draft, "free trade")["deadline"] == date(2027, 12, 31)


def test_a_documents_period_is_no_deadline_for_signing_it_but_is_for_what_it_provides() -> None:
    draft = draft_of("""
        The President arrived in Harare for a visit on 11-12 March.

        A draft programme of cooperation for 2026-2028 will be submitted for approval.

        The signing of a roadmap for 2025-2027 is planned.

        In 2024 the sides signed a cooperation plan for 2024-2026 to build two dairy farms.
        """)
    assert only(draft, "submitted for approval")["deadline_basis"] == "implied"
    assert only(draft, "The signing of a roadmap")["deadline"] == date(2025, 3, 12)
    assert only(draft, "two dairy farms")["deadline"] == date(2026, 12, 31)


def test_a_reference_to_the_figure_before_beats_a_year_that_dates_a_statistic() -> None:
    draft = draft_of("""
        GDP growth in 2026 is projected at 3%. Against low growth in 2025 (1.1% in January-February), this figure could be exceeded, the expert believes.
        """)
    assert only(draft, "could be exceeded")["deadline"] == date(2026, 12, 31)


def test_an_occasion_several_one_sentence_paragraphs_up() -> None:
    draft = draft_of("""
        The President will pay an official visit to Kenya from 20-22 March 2025.

        He will hold talks with President William Ruto.

        The heads of state will discuss trade.

        During his stay in Nairobi, the President is also scheduled to meet business leaders.
        """)
    assert only(draft, "During his stay")["deadline"] == date(2025, 3, 22)


def test_when_something_was_said_is_not_when_it_is_due() -> None:
    draft = draft_of("""
        The plant will double its output, the director told reporters on Monday, April 7.
        The minister said that by 2027 the plant will double its exports.
        """)
    assert only(draft, "double its output")["deadline_basis"] == "implied"
    assert only(draft, "double its exports")["deadline"] == date(2027, 12, 31)


# --- amounts and targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "high", "unit"),
    [
        ("a trade volume of 4-5 billion dollars", 4000, 5000, "USD million"),
        ("to exceed the 410-420 million dollars", 410, 420, "USD million"),
        ("growth in the range of 1.5–2%", 1.5, 2, "percent"),
        ("at least 12 large joint industrial projects", 12, None, "project"),
        ("more than 40 new agricultural cooperatives", 40, None, "cooperative"),
    ],
)
def test_ranges_and_counts_with_modifiers(text: str, value: float, high: float | None, unit: str) -> None:
    (amount,) = find_amounts(text)
    assert (amount.value, amount.high, amount.unit) == (pytest.approx(value), high and pytest.approx(high), unit)


def test_one_target_per_metric_in_a_sentence() -> None:
    draft = draft_of("""
        The forecast envisions GDP growth of 2.9 percent, and inflation of no more than 6 percent for 2026. It is expected that exports will grow by 4.1 percent, and real wages – by 3.5 percent.
        The minister plans to bring the turnover to $300 million, and then, within two years, to reach the $500 million mark.
        """)
    targets = [(p["target"]["op"], p["target"]["value"]) for p in draft["propositions"] if p["kind"] == "target"]
    assert targets == [(">=", 2.9), ("<=", 6.0), (">=", 4.1), (">=", 3.5), (">=", 500.0)]


@pytest.mark.parametrize(
    ("sentence", "op", "value"),
    [
        ("The two countries aim for trade of 4-5 billion dollars.", ">=", 4000),
        ("The region must exceed the 410-420 million dollars it earned last year.", ">", 420),
        ("We are ready to reach the level we agreed on today – approximately $700 million.", ">=", 700),
        ("At least 30 major industrial projects should be implemented by 2030.", ">=", 30),
    ],
)
def test_an_aimed_at_amount_in_many_shapes(sentence: str, op: str, value: float) -> None:
    (target,) = [p for p in draft_of(sentence)["propositions"] if p["kind"] == "target"]
    assert (target["target"]["op"], target["target"]["value"]) == (op, value)


def test_a_lead_without_a_full_stop_names_the_speaker_of_the_paragraph_that_elaborates_it() -> None:
    draft = draft_of("""
        Belarus: key economic parameters for 2026 are demanding
        The key parameters of the country's development for 2026 are demanding – as stated by First Deputy Prime Minister Viktor Karankevich after a meeting with the President on the forecast documents
        In particular, the Government envisions GDP growth of 3 percent. It is expected that exports will grow by 4 percent.
        """)
    assert speaker_of(draft, "GDP growth of 3 percent") == "Viktor Karankevich"
    assert speaker_of(draft, "exports will grow by 4 percent") == "Viktor Karankevich"


def test_a_later_sentence_that_refers_to_a_figure_dates_it() -> None:
    draft = draft_of("""
        “We are ready to raise trade to the level we discussed today – about $800 million. I will not name a date. If we reach it by 2029, that will be a success,” the President said.
        """)
    first, second = [p for p in draft["propositions"] if p["kind"] == "target"]
    assert (first["target"]["value"], first["deadline"], first["deadline_basis"]) == (800, date(2029, 12, 31), "explicit")
    assert (second["target"]["value"], second["deadline"]) == (800, date(2029, 12, 31))
    assert "given by a later sentence: 'reach it' refers to this figure" in first["note"]


# --- speed --------------------------------------------------------------------------------


def test_the_president_is_resolved_in_linear_time() -> None:
    """Counting namings over the text before each "the President" was quadratic (12 s on 4,000 lines)."""
    line = "President Lukashenko met President Tokayev. The President said the President and the President will go.\n"
    ratio = growth(lambda text: extract(text, published=SAID), lambda n: line * n, 250)
    assert ratio < 8, f"four times the text took {ratio:.1f} times as long"


def test_a_count_never_swallows_a_unit() -> None:
    assert [(a.value, a.unit) for a in find_amounts("it aims for a 4.5 percent gross margin increase")] == [(4.5, "percent")]
    assert find_amounts("one of the top 5 business for exports") == []
