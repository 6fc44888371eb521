"""The words of a progress-link message: the practice, the link, how long it works and how to opt
out; one SMS segment with a typical link; nothing about care, in English and Spanish."""

from __future__ import annotations

import pytest

from mbc.delivery.segments import count_segments
from mbc.progress.messages import progress_email, progress_sms

URL = "https://checkin.example.org/p/AQ.aBcDeF.0123456789abcdefghijklmnopq"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_sms_fits_one_segment(app, language: str) -> None:
    with app.app_context():
        text = progress_sms("Riverside Counseling", language, URL)
    assert URL in text and "STOP" in text and count_segments(text).segments == 1


def test_the_sms_in_words(app) -> None:
    with app.app_context():
        english = progress_sms("Riverside Counseling", "en", URL)
        spanish = progress_sms("Riverside Counseling", "es", URL)
    assert (
        english
        == f"Riverside Counseling sent you a link, only for you: {URL} Reply STOP to opt out"
    )
    # "envió" is not in the GSM-7 alphabet: the long Spanish text takes two segments, so the
    # short one is sent.
    assert spanish == f"Riverside Counseling: {URL} Responda STOP para darse de baja"


def test_a_long_practice_name_falls_back_to_the_short_text(app) -> None:
    with app.app_context():
        text = progress_sms("The Riverside Counseling and Family Wellness Center", "en", URL)
    assert text.endswith(f": {URL} Reply STOP to opt out") and count_segments(text).segments == 1


def test_the_email(app) -> None:
    with app.test_request_context():
        mail = progress_email("Riverside", "es", "a@example.com", URL, 7, "https://x/u/1")
    assert mail.subject == "Un enlace de Riverside"
    assert "Riverside le envió este enlace. Funciona durante 7 días." in mail.text
    assert URL in mail.text and URL in mail.html and "https://x/u/1" in mail.text
    assert mail.unsubscribe_url == "https://x/u/1"
