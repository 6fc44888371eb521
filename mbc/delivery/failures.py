"""What a provider's refusal means: retry later, or stop, and whether to stop for good.

Twilio codes (https://www.twilio.com/docs/api/errors): 21610 the recipient replied STOP;
21211/21614 not a valid (mobile) number; 30004 blocked; 30005 unknown destination; 30006
landline or unreachable carrier. HTTP 429 and 5xx, and network errors, are worth retrying.
"""

from __future__ import annotations

from dataclasses import dataclass

# Twilio error code -> the suppression it calls for on that number (None: fail this one only).
TWILIO_PERMANENT: dict[int, str | None] = {
    21610: "opted_out",
    21211: "invalid_address",
    21614: "invalid_address",
    21612: None,  # cannot route to this number from our sender
    21408: None,  # the account may not send to this region
    21606: None,  # the From number cannot send SMS
    21659: None,  # the From number is not a Twilio number
    30004: "blocked",
    30005: "invalid_address",
    30006: "invalid_address",
}
# Codes a status callback reports for a message the carrier did not deliver.
TWILIO_UNDELIVERED_SUPPRESS = {
    k: v for k, v in TWILIO_PERMANENT.items() if k >= 30000 and v is not None
}
MAX_ATTEMPTS = 6


class SendError(Exception):
    """A send that did not happen. ``permanent``: never retry; ``suppress``: stop this address."""

    def __init__(self, reason: str, *, permanent: bool, suppress: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason[:500]
        self.permanent = permanent
        self.suppress = suppress


@dataclass(frozen=True)
class Retry:
    delay_seconds: int | None  # None: give up


def twilio_failure(status: int | None, code: int | None, message: str) -> SendError:
    label = f"Twilio error {code} (HTTP {status}): {message}" if code else f"Twilio HTTP {status}"
    if not code:
        label += f": {message}"
    if code in TWILIO_PERMANENT:
        return SendError(label, permanent=True, suppress=TWILIO_PERMANENT[code])
    if status is None or status == 429 or status >= 500:
        return SendError(label, permanent=False)
    return SendError(label, permanent=True)


def smtp_failure(code: int | None, message: str) -> SendError:
    label = f"SMTP {code}: {message}" if code else f"SMTP: {message}"
    if code is not None and 500 <= code < 600:
        # 550/551/553: mailbox unavailable or address rejected; other 5xx are our problem.
        suppress = "invalid_address" if code in (550, 551, 553) else None
        return SendError(label, permanent=True, suppress=suppress)
    return SendError(label, permanent=False)


def retry_after(attempts: int) -> Retry:
    """Exponential backoff: 1, 2, 4, 8, 16 minutes, then give up after MAX_ATTEMPTS tries."""
    if attempts >= MAX_ATTEMPTS:
        return Retry(None)
    return Retry(60 * 2 ** (attempts - 1))
