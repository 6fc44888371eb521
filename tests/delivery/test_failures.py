"""What a provider's refusal means for the message and the address."""

from __future__ import annotations

import pytest

from mbc.delivery.failures import MAX_ATTEMPTS, retry_after, smtp_failure, twilio_failure


@pytest.mark.parametrize(
    ("status", "code", "permanent", "suppress"),
    [
        (400, 21610, True, "opted_out"),  # the recipient replied STOP
        (400, 21211, True, "invalid_address"),
        (400, 21614, True, "invalid_address"),  # not a mobile number
        (400, 21408, True, None),  # region not enabled: our problem, not the number's
        (400, 21999, True, None),  # any other 4xx: do not retry
        (429, 20429, False, None),
        (500, 20500, False, None),
        (503, None, False, None),
        (None, None, False, None),  # no answer at all
    ],
)
def test_twilio_errors(status, code, permanent: bool, suppress) -> None:
    error = twilio_failure(status, code, "text")
    assert (error.permanent, error.suppress) == (permanent, suppress)


@pytest.mark.parametrize(
    ("code", "permanent", "suppress"),
    [(550, True, "invalid_address"), (554, True, None), (451, False, None), (None, False, None)],
)
def test_smtp_errors(code, permanent: bool, suppress) -> None:
    error = smtp_failure(code, "text")
    assert (error.permanent, error.suppress) == (permanent, suppress)


def test_backoff_doubles_then_gives_up() -> None:
    delays = [retry_after(n).delay_seconds for n in range(1, MAX_ATTEMPTS + 1)]
    assert delays == [60, 120, 240, 480, 960, None]
