"""Outgoing webhooks: the desk's notices (``racedesk.publish.notices``) POSTed as JSON to the
URLs an editor configured (``RACEDESK_WEBHOOKS`` or ``--webhook``), signed, retried, and never in
the way of ingestion (``docs/operations.md``, "Webhooks").

- **Signed** as Stripe and Slack sign theirs: ``Racedesk-Timestamp`` is the attempt's Unix time
  and ``Racedesk-Signature`` is ``v1=`` and the hex HMAC-SHA256, keyed by the shared secret
  (``RACEDESK_WEBHOOK_SECRET``), of the timestamp, a full stop and the body as sent. A receiver
  recomputes it (:func:`verify`), compares in constant time and refuses a timestamp more than
  five minutes away from its clock (a replay). ``Racedesk-Delivery`` is the notice's ``id``, the
  same on every attempt.
- **Retried** after a failure (no answer, a 5xx, 408 or 429): the ``n``-th retry waits
  ``first_wait × 2ⁿ⁻¹`` seconds (at most ``longest_wait``), up to ``attempts`` tries in all;
  another 4xx is the receiver refusing the notice and is not retried. Once a notice has failed
  every try, the receiver is taken to be down: the notices after it are tried once each until one
  goes through (so a receiver down for an hour does not hold the next ones for hours). Each URL has its own
  thread and queue, so a receiver that is down delays only its own notices, which arrive in the
  order the desk made them (a call before its rescind).
- **Never blocking**: the desk hands each write's news to :meth:`Webhooks.hear`, which encodes the
  notices and queues them without waiting; a full queue drops the notice with an error logged.
  Failures are logged (logger ``racedesk.webhooks``), never raised.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
import msgspec

from racedesk.desk.news import DeskNews
from racedesk.errors import ConfigError
from racedesk.publish.notices import notices

log = logging.getLogger("racedesk.webhooks")

SIGNATURE_HEADER = "Racedesk-Signature"
TIMESTAMP_HEADER = "Racedesk-Timestamp"
DELIVERY_HEADER = "Racedesk-Delivery"
KIND_HEADER = "Racedesk-Event"
#: Seconds a receiver should accept between a signature's timestamp and its own clock.
TOLERANCE_SECONDS = 300
#: Answers after which a notice is tried again (besides no answer and any 5xx).
RETRIED_STATUSES = frozenset({408, 429})


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` and the hex HMAC-SHA256 of ``"<timestamp>." + body`` keyed by ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signed: str,
    *,
    now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Whether a received notice is genuine: ``signed`` (the ``Racedesk-Signature`` header) is
    the signature of ``body`` at ``timestamp`` (the ``Racedesk-Timestamp`` header), and that
    time is within ``tolerance`` seconds of ``now``."""
    try:
        when = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - when) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, when, body), signed)


@dataclass(frozen=True)
class Delivery:
    """One notice, encoded once, on its way to one URL."""

    notice_id: str
    kind: str
    body: bytes


@dataclass(frozen=True)
class Retries:
    """How a failed delivery is tried again (see the module docstring)."""

    attempts: int = 5
    first_wait: float = 1.0
    longest_wait: float = 60.0
    timeout: float = 10.0

    def wait(self, failed: int) -> float:
        """Seconds before the try after ``failed`` failed ones."""
        return min(self.first_wait * 2 ** (failed - 1), self.longest_wait)


class _Counts:
    """How many notices were delivered, failed (every try), dropped, and tries made; counted
    by every receiver's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def __getitem__(self, name: str) -> int:
        with self._lock:
            return self._counts[name]


class _Receiver:
    """One URL: its queue of deliveries and the thread that sends them in order."""

    def __init__(self, url: str, secret: str, retries: Retries, size: int, counts: _Counts):
        self.url = url
        self.secret = secret
        self.retries = retries
        self.counts = counts
        self.queue: queue.Queue[Delivery | None] = queue.Queue(maxsize=size)
        self.closing = threading.Event()
        #: Whether the last notice failed every try (the next ones are tried once each).
        self.down = False
        self.thread = threading.Thread(
            target=self._run, name=f"racedesk-webhook {url}", daemon=True
        )
        self.thread.start()

    def offer(self, delivery: Delivery) -> None:
        try:
            self.queue.put_nowait(delivery)
        except queue.Full:
            self.counts.add("dropped")
            log.error("webhook %s: queue full, notice %s dropped", self.url, delivery.notice_id)

    def _run(self) -> None:
        with httpx.Client(timeout=self.retries.timeout) as client:
            while (delivery := self.queue.get()) is not None:
                self._deliver(client, delivery)

    def _deliver(self, client: httpx.Client, delivery: Delivery) -> None:
        """Send ``delivery``, trying again after a failure; the outcome logged and counted."""
        attempts = 1 if self.down else self.retries.attempts
        failure = ""
        for attempt in range(1, attempts + 1):
            answer = self._attempt(client, delivery)
            if answer is None:
                self.counts.add("delivered")
                self.down = False
                return
            failure = answer
            if failure.startswith("refused") or attempt == attempts:
                break
            wait = self.retries.wait(attempt)
            log.warning(
                "webhook %s: notice %s failed (%s); try %d in %.1f s",
                self.url, delivery.notice_id, failure, attempt + 1, wait,
            )  # fmt: skip
            if self.closing.wait(wait):
                break
        self.counts.add("failed")
        self.down = not failure.startswith("refused")
        log.error("webhook %s: notice %s not delivered: %s", self.url, delivery.notice_id, failure)

    def _attempt(self, client: httpx.Client, delivery: Delivery) -> str | None:
        """One POST of ``delivery``, signed now: None when the receiver took it, else why not
        (``refused …`` when trying again would not help)."""
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "racedesk-webhooks",
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: signature(self.secret, stamp, delivery.body),
            DELIVERY_HEADER: delivery.notice_id,
            KIND_HEADER: delivery.kind,
        }
        self.counts.add("attempts")
        try:
            answer = client.post(self.url, content=delivery.body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if answer.is_success:
            return None
        if answer.status_code >= 500 or answer.status_code in RETRIED_STATUSES:
            return f"HTTP {answer.status_code}"
        return f"refused with HTTP {answer.status_code}"


class Webhooks:
    """The desk's outgoing webhooks: give :meth:`hear` to ``Desk.listen``; :meth:`close` at
    the end lets queued notices go out for a while."""

    def __init__(
        self,
        urls: Sequence[str],
        secret: str,
        *,
        retries: Retries | None = None,
        queue_size: int = 1000,
    ) -> None:
        if not urls:
            raise ConfigError("no webhook URL given")
        if not secret:
            raise ConfigError(
                "webhooks need a shared secret to sign their notices",
                where="RACEDESK_WEBHOOK_SECRET",
                hint="set RACEDESK_WEBHOOK_SECRET to a long random string the receivers know",
            )
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"a webhook URL must start with https:// or http://: {url!r}")
        self.counts = _Counts()
        self._receivers = [
            _Receiver(url, secret, retries or Retries(), queue_size, self.counts) for url in urls
        ]

    def hear(self, news: DeskNews) -> None:
        """Queue the notices of ``news`` for every URL (the desk's listener; never waits)."""
        for notice in notices(news):
            delivery = Delivery(notice.id, notice.kind, msgspec.json.encode(notice))
            for receiver in self._receivers:
                receiver.offer(delivery)

    def close(self, timeout: float = 10.0) -> None:
        """Let the queued notices go out for up to ``timeout`` seconds, then stop trying."""
        deadline = time.monotonic() + timeout
        for receiver in self._receivers:
            try:
                receiver.queue.put(None, timeout=max(0.0, deadline - time.monotonic()))
            except queue.Full:
                receiver.closing.set()
        for receiver in self._receivers:
            receiver.thread.join(max(0.0, deadline - time.monotonic()))
            receiver.closing.set()


__all__ = [
    "DELIVERY_HEADER",
    "KIND_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Delivery",
    "Retries",
    "Webhooks",
    "signature",
    "verify",
]
