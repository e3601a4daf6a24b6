"""Value parsers: numbers as articles print them, bounds, units, probabilities, grades, jumps.

Hand-written cases for the forms people write, and properties checked against independent
formulas (Python's own number formatting, interval membership tested point by point).
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.core.periods import parse_period as period
from tracker.core.values import (
    Bound,
    Reading,
    ValueProblem,
    as_written,
    convert,
    convert_reading,
    jump,
    parse_date,
    parse_event_value,
    parse_grade,
    parse_number,
    parse_period,
    parse_probability,
    parse_value,
)

# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1500", 1500.0), ("1,500", 1500.0), ("1 500", 1500.0), ("1\u2009500", 1500.0), ("1\u00a0500", 1500.0),
        ("1\u202f500", 1500.0), ("1_500", 1500.0), ("1,500.25", 1500.25), ("-1,500", -1500.0), ("1,500,000", 1.5e6),
        ("  274 ", 274.0), ("360.1", 360.1), ("1.500", 1.5), ("-2.5e3", -2500.0), (".5", 0.5), (7, 7.0), (2.5, 2.5),
    ],
)
def test_numbers_as_published(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,5", "1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15"),
        ("1,50", "1,50 is ambiguous: 1.50 or 150? write 1.50 (decimal point) or 150"),
        ("1,5000", "1,5000 is ambiguous: 1.5000 or 15000? write 1.5000 (decimal point) or 15000"),
        ("1 500,5", "1 500,5 is ambiguous: 1500.5 or 15005? write 1500.5 (decimal point) or 15005"),
        ("1.234,5", "1.234,5 uses a comma as the decimal mark: write 1234.5 (decimal point, no thousands separator)"),
        ("1,2,3", "1,2,3 is not one number: commas only separate groups of three digits (1,500); write 123 if that is meant"),
        ("1 5", "1 5 is not one number: spaces and _ only separate groups of three digits (1 500)"),
        ("400–500", "400–500 is not a number; a range is written with two dots: 400..500"),
        ("1e400", "1e400 is not a finite number"),
        ("nan", "nan is not a number"),
        ("", "no number given"),
        (None, "no number given"),
        (True, "true is not a number"),
        (float("inf"), "inf is not a finite number"),
        ([1], "a list is not a number"),
        ("$400", "$400 is not a number"),
    ],
)
def test_bad_numbers_say_why(text, message):
    with pytest.raises(ValueProblem) as error:
        parse_number(text)
    assert str(error.value) == message


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_numbers_give_a_clean_error(digits):
    with pytest.raises(ValueProblem, match="too large"):
        parse_number(10 ** (digits - 1))
    with pytest.raises(ValueProblem, match="too long for a number|not a finite number"):
        parse_number("9" * digits)
    with pytest.raises(ValueProblem):
        parse_value(">" + "9" * digits)


@given(st.integers(-(10**15), 10**15), st.sampled_from([",", " ", "_", "\u2009", "\u00a0", "\u202f"]))
def test_grouped_integers_read_as_python_writes_them(n, separator):
    assert parse_number(f"{n:,}".replace(",", separator)) == n


@given(st.floats(-1e12, 1e12, allow_nan=False), st.integers(1, 6))
def test_grouped_decimals_read_as_python_writes_them(x, places):
    text = f"{x:,.{places}f}"
    assert parse_number(text) == float(text.replace(",", ""))


@given(st.integers(0, 999), st.from_regex(r"\d{1,2}|\d{4,6}", fullmatch=True))
def test_a_comma_that_may_be_a_decimal_mark_names_both_readings(whole, part):
    with pytest.raises(ValueProblem) as error:
        parse_number(f"{whole},{part}")
    assert str(error.value) == (f"{whole},{part} is ambiguous: {whole}.{part} or {int(f'{whole}{part}')}? "
                                f"write {whole}.{part} (decimal point) or {int(f'{whole}{part}')}")


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"[<>=≥≤.,_ \d-]{0,20}", fullmatch=True), st.integers(), st.floats(),
                 st.booleans(), st.none()))
def test_no_input_crashes_the_parsers(value):
    for parse in (parse_number, parse_value, parse_probability, parse_grade, parse_event_value, parse_period, parse_date):
        try:
            result = parse(value)
        except ValueProblem:
            continue
        if parse is parse_number:
            assert math.isfinite(result)


# --- bounds and ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "bound"),
    [
        (">400", 400.0, Bound(low=400.0, low_closed=False)),
        (">= 400", 400.0, Bound(low=400.0)),
        ("≥400", 400.0, Bound(low=400.0)),
        ("<500", 500.0, Bound(high=500.0, high_closed=False)),
        ("<=500", 500.0, Bound(high=500.0)),
        ("400..500", 450.0, Bound(400.0, 500.0)),
        ("1,500 .. 2,000", 1750.0, Bound(1500.0, 2000.0)),
        ("400", 400.0, None),
        (400, 400.0, None),
    ],
)
def test_values_bounds_and_ranges(text, number, bound):
    reading = parse_value(text)
    assert (reading.number, reading.bound) == (number, bound)
    assert reading.written == (text.strip() if isinstance(text, str) else None)


def test_bound_text():
    assert [parse_value(t).bound.text for t in (">400", ">=400", "<500", "<=500", "400..500", "≥ 1,500")] == [
        ">400", ">=400", "<500", "<=500", "400..500", ">=1500"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (">", "> is not a number or a bound: write 400, >400, >=400, <500, <=500 or a range 400..500"),
        (">>400", ">>400 is not a number or a bound: write 400, >400, >=400, <500, <=500 or a range 400..500"),
        ("400..", "400.. is not a number or a bound: write 400, >400, >=400, <500, <=500 or a range 400..500"),
        ("=400", "=400 is not a number"),
        ("500..400", "500..400: the range runs backwards; write 400..500"),
        ("400..400", "400..400 is a range of one value: write 400"),
        ("> 1,5", "> 1,5: 1,5 is ambiguous: 1.5 or 15? write 1.5 (decimal point) or 15"),
    ],
)
def test_malformed_bounds(text, message):
    with pytest.raises(ValueProblem) as error:
        parse_value(text)
    assert str(error.value) == message


ENDS = st.one_of(st.none(), st.integers(-4, 4).map(float))


@st.composite
def bounds(draw):
    low, high = draw(ENDS), draw(ENDS)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Bound(low, high, draw(st.booleans()), draw(st.booleans()))


GRID = [k / 2 for k in range(-12, 13)]  # every end and every point between ends


def points(bound: Bound) -> list[float]:
    return [x for x in GRID if bound.allows(x)]


@given(bounds(), bounds())
def test_inside_and_apart_agree_with_membership_point_by_point(a, b):
    if not points(a):
        return  # an empty interval (say, (1, 1)) is inside and apart from anything; never written
    unbounded_beyond = (a.low is None and b.low is not None) or (a.high is None and b.high is not None)
    assert a.inside(b) == (not unbounded_beyond and all(b.allows(x) for x in points(a)))
    both_unbounded = (a.low is None and b.low is None) or (a.high is None and b.high is None)
    assert a.apart(b) == (not both_unbounded and not any(b.allows(x) for x in points(a)))


# --- units -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "metric_unit", "expected"),
    [
        (1.5, "USD billion", "USD million", 1500.0),
        (1, "billion USD", "USD million", 1000.0),
        (274, "USD million", "USD million", 274.0),
        (2, "usd billion", "USD million", 2000.0),
        (360.1, "thousand tonne", "tonne", 360_100.0),
        (360.1, "thousand tonnes", "tonne", 360_100.0),
        (1.2, "million tonne", "tonne", 1_200_000.0),
        (360.1, "kilotonne", "tonne", 360_100.0),
        (500, "kg", "tonne", 0.5),
        (1, "BYN billion", "BYN thousand", 1_000_000.0),
        (3, "thousand projects", "projects", 3000.0),
        (2500, "tonne", "thousand tonne", 2.5),
    ],
)
def test_convert(value, unit, metric_unit, expected):
    assert convert(value, unit, metric_unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("unit", "metric_unit", "message"),
    [
        ("EUR million", "USD million",
         "EUR million does not convert into USD million: currencies never convert into each other; give the value in USD million"),
        ("IRR", "RUB", "IRR does not convert into RUB: currencies never convert into each other; give the value in RUB"),
        ("tonne", "AZN million", "tonne does not convert into AZN million: AZN is a currency; give the value in AZN million "
                                 "(or AZN thousand, million, billion)"),
        ("project", "projects", "project does not convert into projects: 'project' is not a unit tracker knows, "
                                "so only projects or its scaled forms (thousand, million, billion) fit"),
        ("furlongs of joy", "tonne", "furlongs of joy does not convert into tonne: 'furlongs of joy' is not a unit tracker knows, "
                                     "so only tonne or its scaled forms (thousand, million, billion) fit"),
        ("kg", "barrel", "kg does not convert into barrel"),
        ("1e400 t", "tonne", "'1e400 t' is not a unit"),
    ],
)
def test_units_that_do_not_convert(unit, metric_unit, message):
    with pytest.raises(ValueProblem) as error:
        convert(1.0, unit, metric_unit)
    assert str(error.value) == message


@given(st.floats(0, 1e9), st.sampled_from(["", "thousand", "million", "billion"]), st.sampled_from(["", "thousand", "million"]),
       st.sampled_from(["USD", "tonne", "projects"]))
def test_scale_words_scale_by_their_powers_of_ten(value, scale, metric_scale, base):
    powers = {"": 0, "thousand": 3, "million": 6, "billion": 9}
    result = convert(value, f"{base} {scale}".strip(), f"{base} {metric_scale}".strip())
    assert result == pytest.approx(value * 10 ** (powers[scale] - powers[metric_scale]))


def test_convert_reading_converts_the_bound_too_and_keeps_what_was_written():
    reading = convert_reading(parse_value(">0.4"), "USD billion", "USD million")
    assert reading == Reading(400.0, Bound(low=400.0, low_closed=False), ">0.4")
    assert convert_reading(parse_value("400..500"), None, "USD million") == parse_value("400..500")


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        ("1.5", "USD billion", "1.5 USD billion"),
        (1.5, "USD billion", "1.5 USD billion"),
        (">400", None, ">400"),
        ("1 500", None, "1 500"),
        ("1,500", "USD million", "1,500"),
        ("400", None, None),
        (400, "USD million", None),
    ],
)
def test_as_written_keeps_what_the_number_alone_would_lose(value, unit, written):
    assert as_written(parse_value(value), unit, "USD million") == written


# --- probabilities, grades, events, periods, dates ------------------------------------------------------


@pytest.mark.parametrize(("text", "p"), [("0.7", 0.7), ("70%", 0.7), (" 70 % ", 0.7), (0.25, 0.25), (1, 1.0), ("0", 0.0), ("100%", 1.0)])
def test_probabilities(text, p):
    assert parse_probability(text) == pytest.approx(p)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.5", "1.5 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)"),
        ("150%", "150% is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)"),
        (-0.1, "-0.1 is not a probability: give a number from 0 to 1 (0.7) or a percentage (70%)"),
        ("likely", "likely is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)"),
        ("0,7", "0,7 is ambiguous: 0.7 or 7? write 0.7 (decimal point) or 7; give a number from 0 to 1 (0.7) or a percentage (70%)"),
        (True, "true is not a number; give a number from 0 to 1 (0.7) or a percentage (70%)"),
    ],
)
def test_bad_probabilities(text, message):
    with pytest.raises(ValueProblem) as error:
        parse_probability(text)
    assert str(error.value) == message


def test_grades_and_event_values():
    assert [parse_grade(g) for g in ("B2", "b2", " a1 ")] == ["B2", "B2", "A1"]
    with pytest.raises(ValueProblem, match=r"^'Z9' is not an Admiralty grade like B2 \(reliability A-F, credibility 1-6\)$"):
        parse_grade("Z9")
    assert [parse_event_value(v) for v in ("yes", "Partly", " NO ")] == ["yes", "partly", "no"]
    with pytest.raises(ValueProblem, match=r"^an event takes yes, partly or no, got 'maybe'$"):
        parse_event_value("maybe")


def test_periods_and_dates():
    assert parse_period("2025-Q1") == period("2025-Q1")
    assert parse_period(2025) == period("2025")
    assert parse_date("2025-08-31") == date(2025, 8, 31)
    assert parse_date(datetime(2025, 8, 31, 10)) == date(2025, 8, 31)
    with pytest.raises(ValueProblem, match=r"^not a period: '2025-Q5'"):
        parse_period("2025-Q5")
    with pytest.raises(ValueProblem, match=r"^not a date: '31.08.2025' \(use YYYY-MM-DD\)$"):
        parse_date("31.08.2025")


# --- jumps -------------------------------------------------------------------------------------------------


def test_jump_by_hand():
    assert jump(5600, 550, "2024") == ("5600 is more than ten times the nearest known value (550 for 2024); "
                                       "logged all the same: check the digits and the unit")
    assert jump(49, 497) == ("49 is less than a tenth of the nearest known value (497); "
                             "logged all the same: check the digits and the unit")
    assert jump(5600, 560) is None  # exactly ten times is not more than ten times
    assert jump(497, 480) is None
    assert jump(0, 480) is None and jump(5, -480) is None


@given(st.floats(-1e9, 1e9, allow_nan=False), st.floats(-1e9, 1e9, allow_nan=False))
def test_jump_warns_exactly_beyond_a_factor_of_ten(value, neighbour):
    comparable = value != 0 and neighbour != 0 and (value > 0) == (neighbour > 0)
    beyond = comparable and (abs(value) > 10 * abs(neighbour) or 10 * abs(value) < abs(neighbour))
    message = jump(value, neighbour)
    if not comparable or (math.isclose(abs(value), 10 * abs(neighbour)) or math.isclose(10 * abs(value), abs(neighbour))):
        return  # at the boundary the division and the multiplication may round differently
    assert (message is not None) == beyond
