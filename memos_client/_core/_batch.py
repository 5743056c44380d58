"""The decisions of a batch import (`add_many`), with no I/O: what to send next, how
many requests may be in flight, what each answer means, and the counts.

The drivers in `_async/_batch.py` (and the generated sync one) only send, sleep and
write the journal. Every decision is here, so it is tested with plain values:

* **Adaptive rate (AIMD).** At most `limit` requests are in flight. A rate limit
  halves `limit` (not below 1) and pauses new sends until its `Retry-After` has
  passed; each success then adds `1 / limit`, so the limit climbs back by about one
  per round trip of the whole window, up to `concurrency`.
* **Write safety.** An error that proves the add was not processed (a rate limit, a
  refused connection, a 4xx that is not the caller's fault) is sent again, within
  the batch, at most `max_attempts` times in all. An error that may have come after
  the server applied the add (`may_have_been_processed`) is never re-sent: the item
  is *in doubt*. A quota error stops the batch: nothing more is sent.
* **Counts.** Every item read ends as exactly one of submitted, failed, in doubt or
  skipped, so the four counts add up to the items read.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._exceptions import UnexpectedResponseError

__all__ = ["BatchPlan", "BatchProgress", "Outcome", "classify", "item_key", "safe_key"]

RATE_LIMIT_CODES = frozenset({40300, 40309})
QUOTA_CODES = frozenset({40301, 40302, 40304})
MAX_ATTEMPTS = 8
RETRY_BASE = 0.5  # seconds before re-sending an item that provably was not processed
RETRY_CAP = 30.0

Verdict = Literal["submitted", "retry", "rate_limited", "in_doubt", "failed", "quota"]
Outcome = Literal["submitted", "failed", "in_doubt", "skipped"]


def safe_key(item: object) -> str:
    """`item_key`, or "" for an item too malformed to have one."""
    if not isinstance(item, Mapping):
        return ""
    try:
        return item_key(item)
    except (TypeError, ValueError):
        return ""


def item_key(item: Mapping[str, Any]) -> str:
    """The caller's `id`, or a stable hash of the item's content and subject, so a
    rerun recognises the same conversation whatever else changed."""
    given = item.get("id")
    if given is not None:  # id 1 and id "1" are different keys
        return f"id:{given}" if isinstance(given, str) else f"id:{json.dumps(given, default=repr)}"
    subject = {
        name: item.get(name)
        for name in ("messages", "user_id", "agent_id", "conversation_id")
        if item.get(name) is not None
    }
    canonical = json.dumps(subject, sort_keys=True, ensure_ascii=False, default=repr)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def classify(error: BaseException, *, retryable: bool) -> Verdict:
    """What a failed send means for the batch. `retryable` is the client's retry policy
    for a write: True only when the server provably did not process it."""
    code = getattr(error, "code", None)
    if code in QUOTA_CODES or type(error).__name__ == "QuotaExceededError":
        return "quota"
    if getattr(error, "may_have_been_processed", False) or isinstance(
        error, UnexpectedResponseError
    ):
        return "in_doubt"  # a 2xx that cannot be read may still have been applied
    if code in RATE_LIMIT_CODES or getattr(error, "http_status", None) == 429:
        return "rate_limited"
    return "retry" if retryable else "failed"


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """What `on_progress` receives: the counts so far and the current pace."""

    read: int
    submitted: int
    failed: int
    in_doubt: int
    skipped: int
    in_flight: int
    limit: float
    """How many requests may be in flight now (the adaptive limit)."""
    rate: float
    """Items settled per second since the batch started."""
    stopped: str | None = None

    @property
    def settled(self) -> int:
        return self.submitted + self.failed + self.in_doubt + self.skipped


@dataclass(slots=True)
class _Retry:
    index: int
    due: float


@dataclass
class BatchPlan:
    """The state of one batch. Indexes are the items' positions in the input."""

    concurrency: int
    started: float
    max_attempts: int = MAX_ATTEMPTS
    limit: float = field(init=False)
    in_flight: int = 0
    pause_until: float = 0.0
    stopped: str | None = None
    read: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("submitted", "failed", "in_doubt", "skipped"), 0)
    )
    attempts: dict[int, int] = field(default_factory=dict)
    retries: deque[_Retry] = field(default_factory=deque)
    sent_at: dict[int, float] = field(default_factory=dict)
    last_cut: float = float("-inf")

    def __post_init__(self) -> None:
        self.limit = float(self.concurrency)

    def may_send(self, now: float) -> bool:
        """Whether one more request may go out now."""
        return self.stopped is None and now >= self.pause_until and self.in_flight < int(self.limit)

    def due_retry(self, now: float) -> int | None:
        """An item to send again now, if one is due (retries go before new items)."""
        if self.retries and self.retries[0].due <= now:
            return self.retries.popleft().index
        return None

    def wake_at(self, now: float, *, more_items: bool) -> float | None:
        """When, with nothing in flight, something can next be sent: a new item once a
        pause is over, or the first re-send once it is due and any pause is over.
        None when there is nothing left to send."""
        floor = max(now, self.pause_until)
        times = [floor] if more_items else []
        if self.retries:
            times.append(max(floor, self.retries[0].due))
        return min(times) if times else None

    def admit(self) -> int:
        """A new item was read: its index."""
        self.read += 1
        return self.read - 1

    def sending(self, index: int, now: float) -> None:
        self.in_flight += 1
        self.attempts[index] = self.attempts.get(index, 0) + 1
        self.sent_at[index] = now

    def settle(self, outcome: Outcome) -> None:
        """An item ended without a request (skipped from the journal, or in doubt)."""
        self.counts[outcome] += 1

    def record(
        self, index: int, verdict: Verdict, now: float, retry_after: float | None = None
    ) -> Outcome | None:
        """The answer to item `index`'s request: its final outcome, or None when it
        will be sent again."""
        self.in_flight -= 1
        if verdict == "submitted":
            self.limit = min(float(self.concurrency), self.limit + 1.0 / self.limit)
            return self._final(index, "submitted")
        if verdict == "quota":
            self.stopped = self.stopped or "a quota is exhausted (the rest was not sent)"
            return self._final(index, "failed")
        if verdict in ("in_doubt", "failed"):
            return self._final(index, verdict)
        if self.attempts.get(index, 0) >= self.max_attempts:
            return self._final(index, "failed")
        delay = min(RETRY_CAP, RETRY_BASE * 2 ** (self.attempts[index] - 1))
        if verdict == "rate_limited" and self.sent_at.get(index, now) >= self.last_cut:
            # Halved once per window: the other answers to requests sent before this
            # cut carry no news about the new, smaller window.
            self.limit = max(1.0, self.limit / 2)
            self.last_cut = now
        if verdict == "rate_limited":
            delay = delay if retry_after is None else retry_after  # the server knows best
            self.pause_until = max(self.pause_until, now + delay)
        self._requeue(_Retry(index, now + delay))
        return None

    def stop(self, reason: str) -> None:
        self.stopped = self.stopped or reason

    def abandon_retries(self) -> list[int]:
        """After a stop: the items that were waiting to be re-sent, now failed (unsent)."""
        left = [retry.index for retry in self.retries]
        self.retries.clear()
        for _ in left:
            self.counts["failed"] += 1
        return left

    def abandon_read(self, ready: deque[int]) -> list[int]:
        """After a stop: the items read but not sent yet, now failed (unsent)."""
        left = list(ready)
        ready.clear()
        self.counts["failed"] += len(left)
        return left

    def progress(self, now: float) -> BatchProgress:
        settled = sum(self.counts.values())
        elapsed = max(now - self.started, 1e-9)
        return BatchProgress(
            read=self.read,
            in_flight=self.in_flight,
            limit=self.limit,
            rate=settled / elapsed,
            stopped=self.stopped,
            **self.counts,
        )

    def _final(self, index: int, outcome: Outcome) -> Outcome:
        self.attempts.pop(index, None)
        self.sent_at.pop(index, None)
        self.counts[outcome] += 1
        return outcome

    def _requeue(self, retry: _Retry) -> None:
        """Keep the retries in due order (they are few, and mostly appended in order)."""
        position = len(self.retries)
        while position and self.retries[position - 1].due > retry.due:
            position -= 1
        self.retries.insert(position, retry)
