"""Typed dates: 西暦, 和暦 (元年), fiscal years, ranges with partial ends, full-width digits, layout spaces,
English dates — with their offsets into the text read."""

from __future__ import annotations

import pytest

from ingest.dates import DateValue, date_from_parts, find_dates, first_date


def _one(text: str) -> DateValue:
    dates = find_dates(text)
    assert len(dates) == 1, dates
    d = dates[0]
    assert text[d.start:d.end] == d.text  # offsets point at what was read
    return d


@pytest.mark.parametrize(("text", "iso", "read"), [
    ("2014年", "2014", "2014年"),
    ("2023年12月6日", "2023-12-06", "2023年12月6日"),
    ("２０２３年１２月６日", "2023-12-06", "２０２３年１２月６日"),  # full-width digits
    ("令和 5 年 12 月 6 日（水）午前 11 時", "2023-12-06", "令和 5 年 12 月 6 日（水）"),  # layout spaces, weekday
    ("令和元年5月1日", "2019-05-01", "令和元年5月1日"),
    ("平成元年", "1989", "平成元年"),
    ("昭和64年1月7日", "1989-01-07", "昭和64年1月7日"),
    ("平成３０年度", "2018", "平成３０年度"),
    ("平成9年(1997年)", "1997", "平成9年(1997年)"),  # the same year twice is one date
    ("平成23年(2011年)3月に", "2011-03", "平成23年(2011年)3月"),
    ("第14回 (2021年12月)", "2021-12", "2021年12月"),
    ("2021/12/05", "2021-12-05", "2021/12/05"),
    ("2017.08.24", "2017-08-24", "2017.08.24"),
    ("February 9, 2023", "2023-02-09", "February 9, 2023"),
    ("9 February 2023", "2023-02-09", "9 February 2023"),
    ("Feb. 9, 2023", "2023-02-09", "Feb. 9, 2023"),
    ("1st of May 2020", "2020-05-01", "1st of May 2020"),
    ("10:00-16:00, February 9, 2023 (JST)", "2023-02-09", "February 9, 2023"),  # times are no dates
    ("held in August, 2017 in ROK", "2017-08", "August, 2017"),
    ("March 2019", "2019-03", "March 2019"),
    ("12 March", "03-12", "12 March"),
    ("2013年7月まで", "2013-07", "2013年7月"),
    ("2050年までの", "2050", "2050年"),
])
def test_single_dates(text: str, iso: str, read: str) -> None:
    d = _one(text)
    assert (d.iso(), d.text, d.until) == (iso, read, None)


@pytest.mark.parametrize(("text", "year"), [("平成9年度", 1997), ("2004年度", 2004), ("FY2019", 2019),
                                            ("FY 2019", 2019), ("令和元年度", 2019)])
def test_fiscal_years(text: str, year: int) -> None:
    d = _one(text)
    assert (d.year, d.month, d.fiscal) == (year, None, True)
    assert (d.ja(), d.en()) == (f"{year}年度", f"FY{year}")


def test_fiscal_year_key_written_twice() -> None:
    # "平成9年度" / "(1997年度)" on two lines (a flattened table key): two dates, one year.
    assert [(d.year, d.fiscal) for d in find_dates("平成9年度\n(1997年度)")] == [(1997, True), (1997, True)]


@pytest.mark.parametrize(("text", "iso", "ja", "en"), [
    ("令和 5 年 11 月 30 日（木）～12 月 12 日（火）", "2023-11-30/2023-12-12", "2023年11月30日～12月12日",
     "30 November 2023 – 12 December 2023"),
    ("2017.08.24 ~ 2017.08.25", "2017-08-24/2017-08-25", "2017年8月24日～8月25日",
     "24 August 2017 – 25 August 2017"),
    ("(2015-2019)", "2015/2019", "2015年～2019年", "2015 – 2019"),
    ("2015年から2019年", "2015/2019", "2015年～2019年", "2015 – 2019"),
    ("from 2015 to 2019", "2015/2019", "2015年～2019年", "2015 – 2019"),
    ("2023年11月30日～12月12日", "2023-11-30/2023-12-12", "2023年11月30日～12月12日",
     "30 November 2023 – 12 December 2023"),  # the end takes its year from the start
    ("2023年12月30日～1月5日", "2023-12-30/2024-01-05", "2023年12月30日～2024年1月5日",
     "30 December 2023 – 5 January 2024"),  # … or the next one
    ("2021年12月～2022年1月", "2021-12/2022-01", "2021年12月～2022年1月", "December 2021 – January 2022"),
    ("平成12年度～平成13年度", "2000/2001", "2000年度～2001年度", "FY2000 – FY2001"),
    ("FY2004-FY2006", "2004/2006", "2004年度～2006年度", "FY2004 – FY2006"),
    ("2015年4月6日～7日", "2015-04-06/2015-04-07", "2015年4月6日～4月7日", "6 April 2015 – 7 April 2015"),
    ("令和5年12月6日（水）から8日（金）まで", "2023-12-06/2023-12-08", "2023年12月6日～12月8日",
     "6 December 2023 – 8 December 2023"),
])
def test_ranges(text: str, iso: str, ja: str, en: str) -> None:
    d = _one(text)
    assert (d.iso(), d.ja(), d.en()) == (iso, ja, en)


def test_a_range_end_before_its_start_is_two_dates() -> None:
    assert [d.iso() for d in find_dates("2019年～2015年")] == ["2019", "2015"]


def test_month_day_takes_the_year_from_the_text_before() -> None:
    assert [d.iso() for d in find_dates("2023年の会合は12月6日に開かれた。")] == ["2023", "2023-12-06"]
    assert [d.iso() for d in find_dates("12月6日に開かれた。")] == ["12-06"]


@pytest.mark.parametrize("text", ["面積：約 1,990 km²", "電話：072-228-3982", "COP28", "約 117 万人", "2000 tons",
                                  "第28回締約国会議", "R5", "1,990"])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_dates_in_a_sentence_keep_their_offsets() -> None:
    text = "19th TEMM was held in Suwon, ROK on August 25, 2017. The 20th TEMM will be held in China in 2018."
    dates = find_dates(text)
    assert [(d.iso(), text[d.start:d.end]) for d in dates] == [("2017-08-25", "August 25, 2017"), ("2018", "2018")]


def test_value_methods() -> None:
    day, year = DateValue(2023, 12, 6), DateValue(2023)
    assert day.matches(year) and year.matches(day)
    assert not day.matches(DateValue(2023, 12, 7))
    assert not DateValue(None, 12, 6).matches(DateValue(2023))  # nothing in common to compare
    cop = _one("2023年11月30日～12月12日")
    assert cop.contains(day) and cop.contains(DateValue(2023, 12)) and not cop.contains(DateValue(2023, 12, 13))
    assert sorted([day, year, DateValue(2023, 2)], key=DateValue.key) == [year, DateValue(2023, 2), day]
    assert (day.precision, DateValue(2023, 12).precision, year.precision) == (3, 2, 1)
    assert (DateValue(None, 12, 6).iso(), DateValue(2023, 12).ja(), DateValue(2023, 12).en()) == (
        "12-06", "2023年12月", "December 2023")


def test_first_date_and_parts() -> None:
    assert first_date("第10回 (2016年) ウランバートル") == DateValue(2016, start=6, end=11, text="2016年")
    assert first_date("日付なし") is None
    assert date_from_parts(2021, 12) == DateValue(2021, 12)
    assert date_from_parts(None) is None


@pytest.mark.parametrize(("text", "iso"), [
    ("H27.4.3", "2015-04-03"),  # 平成, in a report's short form
    ("R2.11.30　大阪", "2020-11-30"),
    ("R元.7.1", "2019-07-01"),
    ("S63.1.8", "1988-01-08"),
    ("R3.6.14～16", "2021-06-14/2021-06-16"),  # a range ending with its day only
    ("2016/05/30～06/02", "2016-05-30/2016-06-02"),  # … or with its month and day
    ("2014/9/9～10", "2014-09-09/2014-09-10"),
])
def test_short_era_dates_and_numeric_range_ends(text: str, iso: str) -> None:
    assert _one(text).iso() == iso


@pytest.mark.parametrize("text", ["version 2.4.6", "HR3.4.5", "see S2.1.3.4", "2019/10/20 - 3 rooms"])
def test_what_is_not_a_short_era_date_or_a_range_end(text: str) -> None:
    assert all(d.until is None for d in find_dates(text))
    assert not any(d.year and d.year < 1990 for d in find_dates(text))


def test_a_date_falls_in_the_fiscal_year_from_april_to_march() -> None:
    feb, jun, fy = _one("2023年2月21日"), _one("2022年6月15日"), _one("令和4年度")
    assert (feb.fiscal_year(), jun.fiscal_year(), fy.fiscal_year()) == (2022, 2022, 2022)
    assert feb.in_years((2022,), fiscal=(2022,)) and not feb.in_years((2022,))
    assert feb.in_years((2023,)) and not feb.in_years((2023,), fiscal=(2023,))


def test_one_reading_of_a_pages_date_line():
    """The page's own date stands alone on a head line, beside at most a release label, a weekday or 付:
    ingest (relative days) and binding (when was it published) read it the same way."""
    from ingest.dates import date_lines, page_date

    text = "報道発表資料\nPress Release　2025年2月21日（金）付\n\n本日、令和7年2月18日に東京で開催した。\n"
    assert [(d.year, d.month, d.day) for d in date_lines(text)] == [(2025, 2, 21)]
    assert (page_date(text).year, page_date(text).month, page_date(text).day) == (2025, 2, 21)
    d = date_lines(text)[0]
    assert text[d.start:d.end].startswith("2025年2月21日")
    # a date told in prose is no date line; one past the page's head is not the page's own
    assert date_lines("会議は2025年2月18日に開催された。\n") == []
    assert date_lines("x" * 500 + "\n2025年2月21日\n") == []
    assert page_date("2025年2月\n") is None  # a month alone dates no issue
