"""`add_many`: import a large history through `add`, bounded, adaptive and resumable.

This is only the I/O: reading items, sending them, writing the journal and sleeping.
Every decision (how many in flight, what an error means, when to re-send) is made
by `_core._batch.BatchPlan`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from .._batch import BatchResult, Reporter, unsent
from .._clientbase import RequestOptions
from .._compat import AsyncWorkers
from .._core._api import endpoint
from .._core._batch import BatchPlan, BatchProgress, classify, safe_key
from .._core._spec import RequestSpec
from .._exceptions import InDoubtError, InvalidRequestError, MemOSError
from .._journal import FAILED, SUBMITTED, Journal, open_journal

if TYPE_CHECKING:
    from ._client import AsyncMemOS
    from ._task import AsyncTask

__all__ = ["add_many"]

ADD = endpoint("add")
NOT_ADD_FIELDS = ("messages", "id")
END: Any = object()
Prepared = tuple[RequestSpec, RequestOptions]
Checked = tuple[str, "Prepared | InvalidRequestError"]  # an item's key, and its request


@dataclass
class Run:
    """One batch's state, shared by the steps of the driver."""

    client: AsyncMemOS
    sender: AsyncMemOS  # the client with no retries of its own: the batch re-sends
    plan: BatchPlan
    result: BatchResult[AsyncTask]
    book: Journal | None
    resend_in_doubt: bool
    seen: dict[str, int] = field(default_factory=dict)  # key -> first index, this batch
    waiting: dict[int, Prepared] = field(default_factory=dict)  # sent or to re-send
    closed: bool = False  # the batch ended: senders still running settle nothing more


async def add_many(
    client: AsyncMemOS,
    items: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    journal: str | os.PathLike[str] | None,
    resend_in_doubt: bool,
    on_progress: Callable[[BatchProgress], object] | None,
    progress: bool,
) -> BatchResult[AsyncTask]:
    """Send every item (see `AsyncMemOS.add_many`); the result holds one entry per item read."""
    plan = BatchPlan(concurrency, started=client._clock())
    result: BatchResult[AsyncTask] = BatchResult()
    book = open_journal(journal)
    reporter = Reporter(on_progress, progress, client._clock)
    sender = client.with_options(max_retries=0)
    run = Run(client, sender, plan, result, book, resend_in_doubt)
    waiting = run.waiting
    source = iter(items)
    exhausted = False
    failure: list[Exception] = []  # an error of the caller's: the items or on_progress

    def report() -> None:
        if not reporter.listening:
            return
        try:
            reporter.update(plan.progress(client._clock()))
        except Exception as error:
            failure.append(error)
            plan.stop(f"on_progress raised {type(error).__name__}: {error}")
            reporter.mute()

    ready: deque[int] = deque()  # read and checked, not sent yet: the read-ahead
    read_error: list[str] = []  # why reading stopped early, once what was read is sent

    def fill() -> None:
        """Read items until `concurrency` wait to be sent. The caller's iterable is read
        only here, in the caller's thread or task, and outside the lock, as is the
        checking of each item: the senders settle answers meanwhile."""
        nonlocal exhausted
        while True:
            with workers.locked():
                if exhausted or plan.stopped is not None or len(ready) >= concurrency:
                    return
                index = plan.read  # the next item's; only this loop takes items in
            try:
                item = next(source, END)
            except Exception as error:
                failure.append(error)
                read_error.append(f"reading the items raised {type(error).__name__}: {error}")
                item = END
            checked = None if item is END else check(run, index, item)
            with workers.locked():
                if checked is None:
                    exhausted = True
                    return
                admitted = admit(run, checked)
                if admitted is None:
                    report()
                    continue
                index, waiting[index] = admitted
                ready.append(index)

    def next_send(now: float) -> int | None:
        """The item to send now, marked as sending: a due re-send first, else the next
        one read; None when the plan allows none."""
        if not plan.may_send(now):
            return None
        index = plan.due_retry(now)
        if index is None:
            if not ready:
                return None
            index = ready.popleft()
        if book is not None:
            book.sending(result.keys[index])
        plan.sending(index, now)
        return index

    async def pump(index: int | None) -> None:
        """Send one item, settle its answer and go on with the next, while there is
        one: no round trip through the caller's task or thread per item."""
        while index is not None:
            answer = await send_one(sender, index, waiting[index])
            with workers.locked():
                if run.closed:
                    return  # the batch was left with an error; its journal is closed
                settle(run, *answer)
                report()
                index = next_send(client._clock())
                if len(ready) < concurrency // 2 + 1:
                    workers.notify()  # time to read more

    workers = AsyncWorkers(concurrency)
    try:
        async with workers:
            while True:
                delay: float | None = None
                fill()
                with workers.locked():
                    now = client._clock()
                    while (index := next_send(now)) is not None:
                        workers.start(partial(pump, index))
                    if not workers.running:  # nothing in flight: only this loop acts
                        if plan.stopped is None and read_error and not ready:
                            plan.stop(read_error[0])
                        if plan.stopped is not None:
                            reason = f"not sent: the batch stopped ({plan.stopped})"
                            for index in plan.abandon_retries():
                                unsent(result, book, index, reason)
                            for index in plan.abandon_read(ready):
                                unsent(result, book, index, reason)
                            break
                        wake = plan.wake_at(now, more_items=not exhausted or bool(ready))
                        if wake is None:
                            break  # nothing in flight, nothing to re-send, nothing to read
                        delay = max(0.0, wake - now)  # a pause or a re-send ends then
                if delay is None:
                    await workers.changed()
                else:
                    await client._sleep(delay)
    finally:
        with workers.locked():
            run.closed = True  # a sender still running stops at its next step
        if book is not None:
            book.close()
    result.stopped = plan.stopped
    for name, count in plan.counts.items():
        setattr(result, name, count)
    reporter.close(plan.progress(client._clock()))
    if failure:
        # What was sent is settled and journaled; the error carries the result, so a
        # caller without a journal still knows what went out before re-running.
        failure[0].batch_result = result  # type: ignore[attr-defined]
        raise failure[0]
    return result


def admit(
    run: Run,
    checked: Checked,
) -> tuple[int, Prepared] | None:
    """Take in one item read and checked: its index and request if it is to be sent,
    or None when it is settled already (a bad item, a repeat of an earlier item of
    this batch, one an earlier run submitted, one left in doubt)."""
    plan, result, book = run.plan, run.result, run.book
    key, prepared = checked
    index = plan.admit()
    result.keys.append(key)
    if isinstance(prepared, InvalidRequestError):
        result.results.append(prepared)
        plan.settle("failed")
        return None
    first = run.seen.setdefault(key, index)
    if first != index:  # the same key twice: sent once, whatever the timing
        result.results.append(
            InvalidRequestError(
                f"items[{index}]: repeats items[{first}] (same key {key}); not sent again",
                field=f"items[{index}]",
            )
        )
        plan.settle("failed")
        return None
    result.results.append(None)  # type: ignore[arg-type]  # filled when it settles
    seen = book.state(key) if book is not None else None
    if seen is None or seen[0] == FAILED:
        return index, prepared
    state, task_id, _ = seen
    if state == SUBMITTED:
        client = run.client
        result.results[index] = (
            client.task(task_id) if task_id else client._task_from(None, 202)  # untrackable
        )
        plan.settle("skipped")
        return None
    if run.resend_in_doubt:
        return index, prepared
    result.results[index] = InDoubtError(
        f"item {index} ({key}) was being sent when an earlier run stopped, so it may have "
        "been added; search for it, or pass resend_in_doubt=True to send it again",
        key=key,
    )
    plan.settle("in_doubt")
    return None


def check(run: Run, index: int, item: Any) -> Checked:
    """An item's key and its add request, or the error that keeps it from being sent:
    the costly part of taking an item in, which touches nothing shared."""
    key = safe_key(item)
    try:
        return key, prepare(run.sender, index, item)
    except InvalidRequestError as error:
        return key, error


def prepare(client: AsyncMemOS, index: int, item: object) -> Prepared:
    """The item's add request, checked (nothing is sent), as `add` would build it."""
    if not isinstance(item, Mapping):
        raise InvalidRequestError(
            f"items[{index}]: must be a dict with 'messages' and add's fields, not "
            f"{type(item).__name__}",
            field=f"items[{index}]",
        )
    fields = {name: value for name, value in item.items() if name not in NOT_ADD_FIELDS}
    try:
        return client._prepare(ADD, fields, (item.get("messages"),))
    except InvalidRequestError as error:
        raise InvalidRequestError(f"items[{index}].{error}", field=error.field) from None
    except TypeError as error:
        raise InvalidRequestError(f"items[{index}]: {error}", field=f"items[{index}]") from None


async def send_one(
    sender: AsyncMemOS, index: int, prepared: Prepared
) -> tuple[int, AsyncTask | MemOSError]:
    """One add, built already; its error is returned, not raised, so the others go on."""
    try:
        return index, await sender._exchange(ADD, *prepared)
    except MemOSError as error:
        return index, error


def settle(run: Run, index: int, answer: AsyncTask | MemOSError) -> None:
    """Record one answer: submitted, in doubt, failed, or to be sent again."""
    client, plan, result, book = run.client, run.plan, run.result, run.book
    now = client._clock()
    key = result.keys[index]
    if not isinstance(answer, MemOSError):
        plan.record(index, "submitted", now)
        if book is not None:
            book.submitted(key, answer.id)
        answer._client = client  # the caller's client, with its own retry policy
        result.results[index] = answer
        run.waiting.pop(index, None)
        return
    retryable = client._retry_policy.should_retry(answer, "write")
    verdict = classify(answer, retryable=retryable)
    outcome = plan.record(index, verdict, now, getattr(answer, "retry_after", None))
    result.results[index] = answer  # the last error, also while it waits to be re-sent
    if outcome is None:
        return
    run.waiting.pop(index, None)
    if outcome == "failed" and book is not None:
        book.failed(key, str(answer))  # in doubt stays "sending": never re-sent by itself
