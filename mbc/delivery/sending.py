"""Provider calls: one at a time for the console backends, many in flight for the network ones.

Network sends run on an event loop in a thread of their own (the calling thread may already run
a loop, and the database session must stay on the calling thread); each outcome is handed back
to the caller as soon as it is known, so results are recorded while later calls are in flight.
SMS goes through the backend's asynchronous client; SMTP, which blocks, runs in worker threads.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass

from mbc.delivery.backends import Backends
from mbc.delivery.failures import SendError
from mbc.delivery.mail import Email
from mbc.delivery.sms import AsyncSend, LocalSms, NetworkSms

# Provider calls in flight at once for network backends.
CONCURRENCY = 8


@dataclass(frozen=True)
class Outgoing:
    """What a provider call needs, as plain values (no ORM objects cross threads)."""

    index: int
    message_id: int
    recipient: str
    sms: str | None
    email: Email | None


# The provider's id; SendError (the provider said no, or could not be reached); any other
# exception: the outcome is unknown, and the message is left for reconciliation.
Outcome = str | SendError | Exception


def is_local(out: Outgoing, backends: Backends) -> bool:
    """Console backends write to the database session, so they send on the caller's thread."""
    if out.sms is not None:
        return isinstance(backends.sms, LocalSms)
    return backends.email.name == "console"


def call(out: Outgoing, backends: Backends) -> Outcome:
    """One local send, on the caller's thread."""
    try:
        if out.sms is not None:
            assert isinstance(backends.sms, LocalSms)
            return backends.sms.send(out.message_id, out.recipient, out.sms)
        assert out.email is not None
        return backends.email.send(out.message_id, out.email)
    except Exception as error:  # SendError, or an unknown outcome
        return error


_DONE = object()


def concurrently(
    outgoing: list[Outgoing], backends: Backends
) -> Iterator[tuple[Outgoing, Outcome]]:
    """Each message's outcome, in the order they arrive, with up to CONCURRENCY in flight.

    If the caller stops early, the calls already handed over still finish before this returns.
    A failure to start sending at all (no call made) is raised here.
    """
    if not outgoing:
        return
    results: queue.Queue[object] = queue.Queue()

    def run() -> None:
        try:
            asyncio.run(_send_all(outgoing, backends, results))
        except BaseException as error:  # reaches the caller, below
            results.put(error)
        finally:
            results.put(_DONE)

    worker = threading.Thread(target=run, name="mbc-send", daemon=True)
    worker.start()
    try:
        while (item := results.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        worker.join()


async def _send_all(
    outgoing: list[Outgoing], backends: Backends, results: queue.Queue[object]
) -> None:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with AsyncExitStack() as stack:
        send_sms: AsyncSend | None = None
        if any(out.sms is not None for out in outgoing):
            assert isinstance(backends.sms, NetworkSms)
            send_sms = await stack.enter_async_context(backends.sms.sending())

        async def one(out: Outgoing) -> None:
            async with limit:
                try:
                    if out.sms is not None:
                        assert send_sms is not None
                        outcome: Outcome = await send_sms(out.message_id, out.recipient, out.sms)
                    else:
                        assert out.email is not None
                        outcome = await asyncio.to_thread(
                            backends.email.send, out.message_id, out.email
                        )
                except Exception as error:  # SendError, or an unknown outcome
                    outcome = error
            results.put((out, outcome))

        await asyncio.gather(*(one(out) for out in outgoing))
