"""Dates as people read them: "1er" on the first of the month in French, day first in
English (en-GB), through the ``human_date`` filter that every page uses."""

from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from members.forms import OfferForm
from tests.members.factories import OfferFactory


def render(template, **context):
    return Template("{% load dates %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", date(2026, 12, 1), "1er décembre 2026"),
        ("fr", date(2026, 12, 2), "2 décembre 2026"),
        ("fr", date(2027, 1, 14), "14 janvier 2027"),
        ("en", date(2026, 12, 1), "1 Dec 2026"),
        ("en", date(2027, 1, 14), "14 Jan 2027"),
    ],
)
def test_human_date_writes_the_day_as_each_language_does(language, day, expected):
    with translation.override(language):
        assert render("{{ day|human_date }}", day=day) == expected


def test_short_dates_are_day_first_in_both_languages():
    for language in ("fr", "en"):
        with translation.override(language):
            assert render('{{ day|human_date:"SHORT_DATE_FORMAT" }}', day=date(2026, 1, 31)) == (
                "31/01/2026"
            )
            assert render('{{ day|human_date:"SHORT_DATE_FORMAT" }}', day=date(2026, 12, 1)) == (
                "01/12/2026"
            )


def test_a_time_of_day_is_shown_in_paris_time_after_the_1er():
    moment = timezone.make_aware(datetime(2026, 12, 1, 13, 5), timezone.get_fixed_timezone(0))
    with translation.override("fr"):
        assert render('{{ moment|human_date:"DATETIME_FORMAT" }}', moment=moment) == (
            "1er décembre 2026 14:05"
        )


def test_an_empty_date_shows_nothing():
    assert render("{{ day|human_date }}", day=None) == ""


@pytest.mark.django_db
def test_an_offer_page_shows_its_start_as_each_language_writes_it(client):
    start = (timezone.localdate().replace(day=1) + timedelta(days=62)).replace(day=1)
    offer = OfferFactory(start_date=start, expires_on=start)

    french = client.get(offer.get_absolute_url(), headers={"accept-language": "fr"}).text
    english = client.get(offer.get_absolute_url(), headers={"accept-language": "en"}).text

    with translation.override("fr"):
        assert f"1er {date_format(start, 'F Y')}" in french
    with translation.override("en"):
        assert f"1 {date_format(start, 'M Y')}" in english


def test_date_pickers_hold_iso_dates_whatever_the_language():
    offer = OfferForm(initial={"start_date": date(2027, 1, 14)})
    for language in ("fr", "en"):
        with translation.override(language):
            assert 'value="2027-01-14"' in str(offer["start_date"])
    mistyped = OfferForm(data={"start_date": "someday"})
    assert "someday" not in str(mistyped["start_date"])
