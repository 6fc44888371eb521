"""What messages say: the practice, a short reason, the link, how to opt out. Nothing clinical,
translated, and an English SMS fits one GSM-7 segment with a typical base URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mbc.assessments.links import make_token, new_nonce
from mbc.delivery.compose import CheckInNotice, check_in_email, check_in_sms, help_reply
from mbc.delivery.segments import count_segments

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # Monday 12:00 in New York
TYPICAL_BASE = "https://checkin.riversidecounseling.org"
CLINICAL_WORDS = ("phq", "gad", "pcl", "depress", "anxi", "trauma", "suicid", "score", "ptsd")


def says_anything_clinical(text: str, url: str) -> bool:
    """The link's token is random base64 and may spell "pcl" by chance; only the words count."""
    words = text.replace(url, " ").lower()
    return any(word in words for word in CLINICAL_WORDS)


@pytest.fixture
def url(app) -> str:
    with app.app_context():
        # A practice years in: a million check-ins, so the id takes three bytes.
        return f"{TYPICAL_BASE}/s/{make_token(1_000_000, new_nonce())}"


def notice(
    url: str,
    *,
    language="en",
    reminder=False,
    starts=NOW + timedelta(days=1),
    practice="Riverside Counseling",
) -> CheckInNotice:
    return CheckInNotice(
        practice=practice,
        language=language,
        reminder=reminder,
        url=url,
        session_starts_at=starts,
        timezone="America/New_York",
        now=NOW,
    )


@pytest.mark.parametrize("reminder", [False, True])
@pytest.mark.parametrize(
    "starts", [NOW + timedelta(hours=3), NOW + timedelta(days=1), NOW + timedelta(days=4), None]
)
def test_english_sms_fits_one_segment_and_says_nothing_clinical(app, url, reminder, starts):
    with app.test_request_context():
        text = check_in_sms(notice(url, reminder=reminder, starts=starts))
    counted = count_segments(text)
    assert (counted.encoding, counted.segments) == ("GSM-7", 1), (len(text), text)
    assert text.startswith("Riverside Counseling") and url in text
    assert text.endswith("Reply STOP to opt out")
    assert not says_anything_clinical(text, url)


def test_the_reason_names_the_day_on_the_clients_calendar(app) -> None:
    with app.test_request_context():
        url = f"https://mbc.example.org/s/{make_token(1_000_000, new_nonce())}"
        today = check_in_sms(notice(url, starts=NOW + timedelta(hours=3)))
        tomorrow = check_in_sms(notice(url))
        later = check_in_sms(notice(url, starts=NOW + timedelta(days=3)))
        # 23:30 tonight in New York is still "today" there, though tomorrow in UTC.
        late_tonight = check_in_sms(notice(url, starts=datetime(2026, 11, 24, 4, 30, tzinfo=UTC)))
    assert "your session today:" in today and "your session tomorrow:" in tomorrow
    assert "session on Thu, Nov 26:" in later and "session today:" in late_tonight
    assert all(count_segments(t).segments == 1 for t in (today, tomorrow, later, late_tonight))


def test_a_long_practice_name_falls_back_to_a_shorter_text(app) -> None:
    with app.test_request_context():
        url = f"https://mbc.example.org/s/{make_token(1_000_000, new_nonce())}"
        text = check_in_sms(notice(url, practice="Riverside Family Counseling Associates"))
    assert count_segments(text).segments == 1 and url in text


def test_spanish_sms_is_spanish(app, url) -> None:
    with app.test_request_context():
        text = check_in_sms(notice(url, language="es"))
        reminder = check_in_sms(notice(url, language="es", reminder=True))
    assert "cuestionario" in text and "Responda STOP" in text and url in text
    assert "recordatorio" in reminder
    assert not says_anything_clinical(text, url)


def test_email_in_both_languages(app, url) -> None:
    with app.test_request_context():
        english = check_in_email(notice(url), "pat@example.com", f"{TYPICAL_BASE}/u/x")
        spanish = check_in_email(notice(url, language="es"), "pat@example.com", "u")
    assert english.subject == "A short check-in before your session tomorrow"
    assert spanish.subject == "Un cuestionario breve antes de su cita mañana"
    for mail in (english, spanish):
        assert url in mail.text and url in mail.html
        assert not says_anything_clinical(mail.subject + mail.text + mail.html, url)


def test_help_reply_names_the_practice_and_its_contact(app) -> None:
    with app.test_request_context():
        text = help_reply("Riverside Counseling", "en", "+1 415 555 0199", "")
        bare = help_reply("Riverside Counseling", "en", "", "")
    assert text == (
        "Riverside Counseling check-in messages. Contact: +1 415 555 0199. Reply STOP to opt out."
    )
    assert "Contact" not in bare


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_message_sent_once_the_session_has_begun_does_not_say_before_it(app, url, language):
    """SRS is sent at the session's start (issue 18, #7): "before your session" would be wrong."""
    started = notice(url, language=language, starts=NOW)
    ahead = notice(url, language=language, starts=NOW + timedelta(hours=3))
    with app.test_request_context():
        sms, email = check_in_sms(started), check_in_email(started, "c@example.com", "https://u")
        subject_ahead = check_in_email(ahead, "c@example.com", "https://u").subject
    words = ("session", "sesión", "cita")
    assert any(word in subject_ahead for word in words)
    for text in (sms, email.subject, email.text):
        assert not any(word in text.lower() for word in words), text
