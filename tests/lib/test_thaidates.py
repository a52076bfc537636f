import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from ita_portal.lib import thaidates
from ita_portal.lib.forms import ThaiDateField


@pytest.fixture
def thai():
    with translation.override("th"):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


class TestFormat:
    def test_short_thai(self, thai):
        assert thaidates.format_date(dt.date(2024, 2, 15)) == "15 ก.พ. 2567"

    def test_long_thai(self, thai):
        assert thaidates.format_date(dt.date(2024, 2, 15), long=True) == "15 กุมภาพันธ์ 2567"

    def test_english_keeps_the_buddhist_era(self, english):
        assert thaidates.format_date(dt.date(2024, 2, 15)) == "15 Feb 2567"
        assert thaidates.format_date(dt.date(2024, 2, 15), long=True) == "15 February 2567"

    def test_none_is_empty(self, thai):
        assert thaidates.format_date(None) == ""
        assert thaidates.format_datetime(None) == ""

    def test_aware_datetime_is_shown_in_bangkok_time(self, thai):
        # 20:30 UTC on 30 Sep 2024 is already 1 Oct 2024 03:30 in Bangkok.
        value = dt.datetime(2024, 9, 30, 20, 30, tzinfo=dt.UTC)
        assert thaidates.format_date(value) == "1 ต.ค. 2567"
        assert thaidates.format_datetime(value) == "1 ต.ค. 2567 03:30 น."

    def test_month(self, thai):
        assert thaidates.format_month(2024, 3) == "มี.ค. 2567"

    def test_every_month_round_trips_through_the_parser(self, thai):
        for month in range(1, 13):
            for long in (False, True):
                day = dt.date(2023, month, 28)
                assert thaidates.parse_date(thaidates.format_date(day, long=long)) == day


class TestParse:
    @pytest.mark.parametrize(
        "text",
        [
            "15 ก.พ. 2567",
            "15 ก.พ.2567",
            "15ก.พ.67",
            "15 กพ 67",
            "15 ก. พ. 2567",
            "๑๕ ก.พ. ๒๕๖๗",
            "๑๕ ก.พ. ๖๗",
            "1๕ ก.พ. 256๗",
            "15 กุมภาพันธ์ 2567",
            "15 กุมภาพันธ์ พ.ศ. 2567",
            "วันที่ 15 กุมภาพันธ์ พ.ศ.2567",
            "15 Feb 2567",
            "15 February 2567",
            "15 feb. 67",
            "15/02/2567",
            "15/2/67",
            "15-02-2567",
            "15.02.2567",
            "2567-02-15",
            "  15/02/2567  ",
        ],
    )
    def test_accepted_forms(self, text):
        assert thaidates.parse_date(text) == dt.date(2024, 2, 15)

    def test_two_forms_of_sara_am_in_a_month_name_are_the_same(self):
        # มีนาคม has no SARA AM, but a decomposed string around it must not break parsing.
        assert thaidates.parse_date("31 มีนาคม 2567") == dt.date(2024, 3, 31)

    def test_month_names_that_look_alike(self):
        assert thaidates.parse_date("1 ม.ค. 2567") == dt.date(2024, 1, 1)
        assert thaidates.parse_date("1 มี.ค. 2567") == dt.date(2024, 3, 1)
        assert thaidates.parse_date("1 พ.ค. 2567") == dt.date(2024, 5, 1)
        assert thaidates.parse_date("1 พ.ย. 2567") == dt.date(2024, 11, 1)
        assert thaidates.parse_date("1 พฤศจิกายน 2567") == dt.date(2024, 11, 1)

    def test_leap_day(self):
        assert thaidates.parse_date("29 ก.พ. 2567") == dt.date(2024, 2, 29)

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "Enter a date"),
            ("29 ก.พ. 2566", "not a real date"),
            ("31/04/2567", "not a real date"),
            ("15/13/2567", "no month 13"),
            ("15 กุมภา 2567", "Unknown month name"),
            ("15/02/2024", "not a Buddhist Era year"),
            ("15 Feb 2024", "not a Buddhist Era year"),
            ("tomorrow", "is not a date"),
            ("15/02", "is not a date"),
        ],
    )
    def test_refused_with_a_reason(self, text, reason):
        with translation.override("en"), pytest.raises(ValueError, match=reason):
            thaidates.parse_date(text)

    def test_reasons_are_in_thai_by_default(self, thai):
        with pytest.raises(ValueError) as error:
            thaidates.parse_date("15/02/2024")
        assert "พุทธศักราช" in str(error.value)

    @pytest.mark.parametrize(
        "text", ["มี.ค.67", "มี.ค. 2567", "มีนาคม 2567", "มีค ๖๗", "Mar 2567", "มี.ค. พ.ศ. 2567"]
    )
    def test_month_precision(self, text):
        assert thaidates.parse_month(text) == (2024, 3)

    def test_month_precision_refused(self):
        with translation.override("en"), pytest.raises(ValueError, match="not a month"):
            thaidates.parse_month("15/03/2567")

    def test_month_end(self):
        assert thaidates.month_end(2024, 2) == dt.date(2024, 2, 29)
        assert thaidates.month_end(2023, 2) == dt.date(2023, 2, 28)
        assert thaidates.month_end(2024, 12) == dt.date(2024, 12, 31)


class TestFiscalYear:
    @pytest.mark.parametrize(
        ("day", "fy"),
        [
            (dt.date(2024, 10, 1), 2568),
            (dt.date(2025, 9, 30), 2568),
            (dt.date(2024, 9, 30), 2567),
            (dt.date(2023, 10, 1), 2567),
            (dt.date(2024, 2, 15), 2567),
            (dt.date(2024, 12, 31), 2568),
        ],
    )
    def test_fiscal_year_of_a_date(self, day, fy):
        assert thaidates.fiscal_year(day) == fy

    def test_bounds(self):
        assert thaidates.fiscal_year_bounds(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))

    def test_six_month_round(self):
        assert thaidates.six_month_round(2567) == (dt.date(2023, 10, 1), dt.date(2024, 3, 31))
        assert thaidates.six_month_round(2568) == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))

    def test_months(self):
        months = thaidates.fiscal_months(2567)
        assert len(months) == 12
        assert months[0] == (2023, 10) and months[5] == (2024, 3) and months[-1] == (2024, 9)
        assert thaidates.fiscal_months(2567, until=dt.date(2024, 3, 31))[-1] == (2024, 3)
        assert len(thaidates.fiscal_months(2567, until=dt.date(2024, 3, 31))) == 6

    def test_every_day_of_the_year_falls_inside_its_bounds(self):
        start, end = thaidates.fiscal_year_bounds(2567)
        day = start - dt.timedelta(days=1)
        assert thaidates.fiscal_year(day) == 2566
        while day < end:
            day += dt.timedelta(days=1)
            assert thaidates.fiscal_year(day) == 2567
        assert thaidates.fiscal_year(end + dt.timedelta(days=1)) == 2568


class TestFormField:
    class DueForm(forms.Form):
        due = ThaiDateField()

    def test_accepts_thai_input(self):
        form = self.DueForm(data={"due": "๑๕ ก.พ. ๖๗"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["due"] == dt.date(2024, 2, 15)

    def test_error_names_the_problem(self):
        with translation.override("en"):
            form = self.DueForm(data={"due": "15/02/2024"})
            assert not form.is_valid()
            assert "not a Buddhist Era year" in form.errors["due"][0]

    def test_required(self, english):
        form = self.DueForm(data={"due": ""})
        assert not form.is_valid()
        assert form.errors["due"] == ["This field is required."]

    def test_initial_value_is_shown_in_buddhist_era(self, thai):
        form = self.DueForm(initial={"due": dt.date(2024, 3, 31)})
        assert 'value="31 มี.ค. 2567"' in str(form["due"])


class TestTemplateFilters:
    def render(self, source, **context):
        return Template(source).render(Context(context))

    def test_filters_are_builtins(self, thai):
        day = dt.date(2024, 2, 15)
        assert self.render("{{ d|be_date }}", d=day) == "15 ก.พ. 2567"
        assert self.render('{{ d|be_date:"long" }}', d=day) == "15 กุมภาพันธ์ 2567"
        assert self.render("{{ d|fiscal_year }}", d=dt.date(2024, 10, 1)) == "2568"
        assert self.render("{{ y|thai_digits }}", y=2567) == "๒๕๖๗"

    def test_datetime_filter(self, english):
        value = dt.datetime(2024, 2, 15, 7, 5, tzinfo=dt.UTC)
        assert self.render("{{ v|be_datetime }}", v=value) == "15 Feb 2567 14:05"

    def test_empty_values(self, thai):
        assert self.render("{{ d|be_date }}|{{ d|fiscal_year }}", d=None) == "|"
