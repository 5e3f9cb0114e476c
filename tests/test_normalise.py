"""The answer normaliser: synonyms, numbers with units, percentages, dates (property tests)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.intake import cells, normalise
from engine.intake.normalise import Reading
from engine.rules.model import NA, NO, YES, Item, LevelOption, ProfileField

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SPACES = st.text(alphabet=" \u3000\t", max_size=3)
DATES = st.dates(min_value=date(1921, 7, 1), max_value=date(2100, 12, 31))


def item(kind: str, **extra: object) -> Item:
    base: dict[str, object] = {
        "id": "1.1.1",
        "area_id": "1",
        "standard_id": "1.1",
        "text": "要点",
        "type": kind,
        "points": Decimal(1),
        "basis": "",
        "basis_kind": "practice",
        "evidence": "",
        "advice": "",
    }
    base.update(extra)
    return Item(**base)  # type: ignore[arg-type]


LEVEL = item("level", options=(LevelOption("好", Decimal(1)), LevelOption("一般", Decimal("0.5"))))
ITEMS = [
    item("yes_no"),
    LEVEL,
    item("count", decimals=1),
    item("percent"),
    item("date"),
    item("yes_no", na_allowed=True),
]


# ---------------------------------------------------------------- cells


def test_cells_turn_whole_floats_into_ints_and_blank_text_into_none() -> None:
    assert cells.cell(12.0) == 12 and isinstance(cells.cell(12.0), int)
    assert cells.cell(12.5) == 12.5
    assert cells.cell("") is None
    assert cells.cell(" \u3000") is None
    assert cells.cell("  是\u3000") == "是"
    assert cells.cell(datetime(2018, 3, 5, 10, 30)) == date(2018, 3, 5)
    assert cells.cell(date(2018, 3, 5)) == date(2018, 3, 5)
    assert cells.cell(True) is True


def test_excel_serial_numbers_are_dates() -> None:
    assert cells.serial_date(43164) == date(2018, 3, 5)
    assert cells.serial_date(43164.75) == date(2018, 3, 5)
    assert normalise.a_date(43164) == date(2018, 3, 5)
    assert normalise.a_date(2018) is None  # a year typed into a date cell is not a 1905 date


# ---------------------------------------------------------------- synonyms


@given(
    word=st.sampled_from(["是", "√", "✓", "✔", "Y", "y", "yes", "YES", "Yes", "有", "已", "符合", "TRUE"]),
    before=SPACES,
    after=SPACES,
)
def test_yes_synonyms_with_surrounding_spaces(word: str, before: str, after: str) -> None:
    assert normalise.yes_no(before + word + after) == Reading(YES)


@given(
    word=st.sampled_from(["否", "×", "✗", "✘", "N", "n", "no", "NO", "无", "没有", "未", "不符合", "false"]),
    before=SPACES,
    after=SPACES,
)
def test_no_synonyms_with_surrounding_spaces(word: str, before: str, after: str) -> None:
    assert normalise.yes_no(before + word + after) == Reading(NO)


@given(word=st.sampled_from(["不适用", "N/A", "n/a", "NA", "na", "无此项", "Ｎ／Ａ"]), before=SPACES, after=SPACES)
def test_not_applicable_synonyms(word: str, before: str, after: str) -> None:
    raw = before + word + after
    assert normalise.answer(item("yes_no", na_allowed=True), raw, None) == Reading(NA)
    assert normalise.answer(item("count", na_allowed=True), raw, None) == Reading(NA)
    assert normalise.answer(item("yes_no"), raw, None).error == "na-not-allowed"


def test_true_and_false_cells_are_yes_and_no() -> None:
    assert normalise.yes_no(True) == Reading(YES)
    assert normalise.yes_no(False) == Reading(NO)


def test_unknown_words_are_invalid_answers() -> None:
    assert normalise.yes_no("可能").error == "invalid-answer"
    assert normalise.yes_no(1).error == "invalid-answer"


# ---------------------------------------------------------------- level


def test_level_answers_are_exact_labels_after_trimming() -> None:
    assert normalise.answer(LEVEL, "\u3000一般 ", None) == Reading("一般")
    assert normalise.answer(LEVEL, "较好", None).error == "invalid-answer"
    assert normalise.answer(LEVEL, "不适用", None).error == "na-not-allowed"


# ---------------------------------------------------------------- counts


@given(n=st.integers(min_value=0, max_value=10**9), before=SPACES, after=SPACES)
def test_whole_numbers_typed_any_way_normalise_to_themselves(n: int, before: str, after: str) -> None:
    typed = (str(n), str(n).translate(FULL_WIDTH), f"{n}次", f"{before}{n}{after}", f"{n}.0", f"{n} 人")
    for raw in (n, float(n), *typed):
        result = normalise.count(raw, 0)
        assert result == Reading(Decimal(n)), raw
        assert "E" not in str(result.value)


@given(n=st.integers(min_value=1, max_value=10**6))
def test_negative_numbers_are_invalid_counts(n: int) -> None:
    assert normalise.count(-n, 0) == Reading(None, "invalid-count", "不能为负数")
    assert normalise.count(f"-{n}次", 2).error == "invalid-count"


@given(tenths=st.integers(min_value=0, max_value=10**6).filter(lambda t: t % 10))
def test_decimals_are_checked_against_the_items_places(tenths: int) -> None:
    value = Decimal(tenths) / 10
    assert normalise.count(float(value), 1) == Reading(value)
    assert normalise.count(f"{value}学时", 1) == Reading(value)
    assert normalise.count(float(value), 0) == Reading(None, "invalid-count", "应填写整数")
    hundredths = value + Decimal("0.05")
    assert normalise.count(str(hundredths), 1) == Reading(None, "invalid-count", "最多保留 1 位小数")


def test_floating_point_noise_is_rounded_away() -> None:
    assert normalise.count(0.1 + 0.2, 1) == Reading(Decimal("0.3"))


@pytest.mark.parametrize("raw", ["十二", "12abc", "1.2.3", "次", "12次次1", date(2018, 1, 1), True])
def test_text_that_is_not_a_number_is_an_invalid_answer(raw: object) -> None:
    assert normalise.count(cells.cell(raw), 0).error == "invalid-answer"


# ---------------------------------------------------------------- percent


@given(hundredths=st.integers(min_value=0, max_value=100))
def test_a_number_up_to_1_is_a_fraction(hundredths: int) -> None:
    fraction = hundredths / 100
    assert normalise.percent(fraction) == Reading(Decimal(hundredths))


@given(percent=st.integers(min_value=2, max_value=100), tenth=st.integers(min_value=0, max_value=9))
def test_a_number_above_1_or_typed_text_is_a_percentage(percent: int, tenth: int) -> None:
    value = Decimal(percent) - Decimal(tenth) / 10
    expected = Reading(normalise.canonical(value))
    assert normalise.percent(float(value)) == expected
    assert normalise.percent(f"{value}%") == expected
    assert normalise.percent(f"{value}") == expected
    assert normalise.percent(f" {value} ％\u3000".translate(FULL_WIDTH)) == expected


@pytest.mark.parametrize("raw", [0.95, "0.95", "０．９５", 95, "95", "95%", "95.0%", " ９５ ％", "95 %", 95.0])
def test_one_rule_for_numbers_and_text_95_percent(raw: object) -> None:
    assert normalise.percent(cells.cell(raw)) == Reading(Decimal(95))


def test_without_a_percent_sign_a_value_up_to_1_is_a_fraction_typed_as_number_or_text() -> None:
    for raw in (1, "1", 1.0, "1.0", "１"):
        assert normalise.percent(cells.cell(raw)) == Reading(Decimal(100)), raw
    for raw in (0.5, "0.5", ".5" if False else "0.50"):
        assert normalise.percent(cells.cell(raw)) == Reading(Decimal(50)), raw
    assert normalise.percent("0") == normalise.percent(0) == Reading(Decimal(0))
    assert normalise.percent("1%") == Reading(Decimal(1))
    assert normalise.percent("0.5%") == Reading(Decimal("0.5"))
    assert normalise.percent("1.5") == normalise.percent(1.5) == Reading(Decimal("1.5"))


@pytest.mark.parametrize("raw", [-0.01, 1.2 * 100 + 1, "120%", "-5%", "101"])
def test_percentages_outside_0_to_100_are_out_of_range(raw: object) -> None:
    assert normalise.percent(cells.cell(raw)).error == "percent-out-of-range"


@pytest.mark.parametrize("raw", ["九成", "95次", "95%%", "%95"])
def test_percent_text_that_is_not_a_number_is_invalid(raw: str) -> None:
    assert normalise.percent(raw).error == "invalid-answer"


# ---------------------------------------------------------------- huge and absurdly long numbers


@pytest.mark.parametrize(
    "raw",
    ["9" * 4301, "9" * 16, 10**15, 1e308, "1" + "0" * 15 + "次", "-" + "9" * 20],
    ids=["4301-digits", "16-digits", "10**15", "1e308", "with-unit", "negative"],
)
def test_a_number_of_more_than_15_digits_is_rejected_as_too_long(raw: object) -> None:
    value = cells.cell(raw)
    assert normalise.count(value, 0).error == "number-too-long"
    assert normalise.percent(value).error == "number-too-long"
    assert normalise.profile_value(field("integer"), value).error == "number-too-long"
    assert normalise.profile_value(field("year"), value).error == "number-too-long"


@pytest.mark.parametrize("raw", [float("inf"), float("-inf"), float("nan")])
def test_infinite_and_not_a_number_cells_are_invalid(raw: float) -> None:
    value = cells.cell(raw)
    assert normalise.count(value, 0).error == "invalid-answer"
    assert normalise.percent(value).error == "invalid-answer"
    assert normalise.answer_date(value, None).error == "invalid-answer"
    assert normalise.profile_value(field("integer"), value).error == "profile-invalid"


def test_fifteen_digits_are_still_a_number() -> None:
    assert normalise.count(10**15 - 1, 0) == Reading(Decimal(10**15 - 1))
    assert normalise.count("９" * 15, 0) == Reading(Decimal("9" * 15))


def test_a_number_field_longer_than_100_characters_is_rejected_before_it_is_parsed() -> None:
    grouped = ("111," * 225_000)[:-2] + " 1"  # made the former pattern backtrack for minutes
    for raw in (grouped, "1" * 101, "12" + "次" * 99, "  " + "1" * 120):
        assert normalise.count(raw, 0).error == "number-too-long", raw[:20]
        assert normalise.percent(raw).error == "number-too-long"
        assert normalise.profile_value(field("integer"), raw).error == "number-too-long"
        assert normalise.number(raw) is None
    assert normalise.count("12" + "次" * 98, 0) == Reading(Decimal(12))  # 100 characters
    # Long text that does not begin like a number is simply not one.
    assert normalise.count("按实际情况填写" * 20, 0).error == "invalid-answer"
    assert normalise.profile_value(field("integer"), "说明" * 100).error == "profile-invalid"


def test_long_number_text_never_reaches_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    lengths: list[int] = []
    parse = normalise._parse

    def spy(text: str) -> object:
        lengths.append(len(text))
        return parse(text)

    monkeypatch.setattr(normalise, "_parse", spy)
    typed = ("111," * 225_000)[:-2] + " 1"
    for field_kind in ("integer", "year"):
        normalise.profile_value(field(field_kind), typed)
    normalise.count(typed, 0)
    normalise.percent(typed)
    normalise.count("12次", 0)
    assert lengths and max(lengths) <= normalise.MAX_FIELD_CHARS


def test_long_text_in_other_fields_is_invalid_without_being_parsed() -> None:
    long_text = "2018-01-01 " * 100_000
    assert normalise.answer_date(long_text, None).error == "invalid-answer"
    assert normalise.profile_value(field("date"), long_text).error == "profile-invalid"
    assert normalise.yes_no("是" * 1_000_000).error == "invalid-answer"
    assert normalise.word("不适用" + " " * 1_000_000) is None


def _former_number(text: str, percent_sign: bool = False) -> Decimal | None:
    """What number() returned for text before it stopped using a regular expression."""
    pattern = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?\s*(\S*)")
    match = pattern.fullmatch(normalise.clean(text))
    if match is None:
        return None
    sign, whole, fraction, suffix = match.groups()
    if percent_sign and suffix not in ("", "%"):
        return None
    if not percent_sign and not all("\u4e00" <= ch <= "\u9fff" for ch in suffix):
        return None
    result = Decimal(whole.replace(",", "") + ("." + fraction if fraction else ""))
    return -result if sign == "-" else result


@given(text=st.text(alphabet="0123456789,.+-% \u3000\t次人x%٣１，", max_size=24))
def test_numbers_are_read_as_the_former_pattern_read_them(text: str) -> None:
    assert normalise.number(text) == _former_number(text)
    assert normalise.number(text, percent_sign=True) == _former_number(text, percent_sign=True)


@pytest.mark.parametrize("raw", ["1,234", "1,2345次", "12.", "-1,234,567.5", "+3 人", "1,23", "12 次 1", "٣٤"])
def test_number_examples_read_as_before(raw: str) -> None:
    assert normalise.number(raw) == _former_number(raw)


# ---------------------------------------------------------------- dates


@given(day=DATES, before=SPACES, after=SPACES)
def test_dates_typed_as_text_in_any_usual_form(day: date, before: str, after: str) -> None:
    forms = (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month}.{day.day}",
        day.strftime("%Y%m%d"),
        day.isoformat().translate(FULL_WIDTH),
    )
    for text in forms:
        assert normalise.a_date(before + text + after) == day, text
    assert normalise.answer_date(day, None).value == day


def test_dates_after_the_reference_date_or_before_1921_are_out_of_range() -> None:
    ref = date(2018, 12, 31)
    assert normalise.answer_date("2018-12-31", ref) == Reading(ref)
    late = normalise.answer_date("2019-01-01", ref)
    assert (late.error, late.why) == ("date-out-of-range", "晚于评估基准日 2018-12-31")
    early = normalise.answer_date(date(1920, 1, 1), ref)
    assert early.error == "date-out-of-range" and early.why.startswith("早于 1921-07-01")


@pytest.mark.parametrize("raw", ["2018-02-30", "去年", "2018-13-01", "18-3-5"])
def test_impossible_or_unreadable_dates_are_invalid(raw: str) -> None:
    assert normalise.answer_date(raw, None).error == "invalid-answer"


# ---------------------------------------------------------------- robustness


@given(raw=st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.dates()))
def test_any_cell_gives_a_value_or_an_error_never_an_exception(raw: object) -> None:
    value = cells.cell(raw)
    for one in ITEMS:
        result = normalise.answer(one, value, date(2018, 12, 31))
        assert result.ok or result.error in {
            "invalid-answer",
            "na-not-allowed",
            "invalid-count",
            "percent-out-of-range",
            "date-out-of-range",
            "number-too-long",
        }
        if one.type == "percent" and result.ok and result.value is not None:
            assert isinstance(result.value, Decimal) and 0 <= result.value <= 100


# ---------------------------------------------------------------- profile


def field(kind: str) -> ProfileField:
    return ProfileField(id="f", label="字段", type=kind, required=False)


def test_profile_values_by_type() -> None:
    assert normalise.profile_value(field("text"), 123) == Reading("123")
    assert normalise.profile_value(field("text"), date(2018, 3, 5)) == Reading("2018-03-05")
    assert normalise.profile_value(field("integer"), "１２人") == Reading(12)
    assert normalise.profile_value(field("integer"), 12) == Reading(12)
    assert normalise.profile_value(field("integer"), 1.5).error == "profile-invalid"
    assert normalise.profile_value(field("integer"), -1).error == "profile-invalid"
    assert normalise.profile_value(field("year"), "2018年") == Reading(2018)
    assert normalise.profile_value(field("year"), 1900).error == "profile-invalid"
    assert normalise.profile_value(field("date"), "2018年3月5日") == Reading(date(2018, 3, 5))
    assert normalise.profile_value(field("date"), "1900-01-01").error == "profile-invalid"
    assert normalise.profile_value(field("yes_no"), " √ ") == Reading(YES)
    assert normalise.profile_value(field("yes_no"), "不适用").error == "profile-invalid"
    assert normalise.profile_value(field("yes_no"), None) == Reading()
