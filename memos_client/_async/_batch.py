"""`add_many`: import a large history through `add`, bounded, adaptive and resumable.

This is only the I/O: reading items, sending them, writing the journal and sleeping.
Every decision (how many in flight, what an error means, when to re-send) is made
by `_core._batch.BatchPlan`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from .._batch import BatchResult, Reporter
from .._clientbase import RequestOptions
from .._compat import AsyncWorkers
from .._core._api import endpoint
from .._core._batch import BatchPlan, BatchProgress, classify, item_key
from .._core._spec import RequestSpec
from .._exceptions import InDoubtError, InvalidRequestError, MemOSError
from .._journal import FAILED, SUBMITTED, Journal

if TYPE_CHECKING:
    from ._client import AsyncMemOS
    from ._task import AsyncTask

__all__ = ["add_many"]

ADD = endpoint("add")
NOT_ADD_FIELDS = ("messages", "id")
END: Any = object()
Prepared = tuple[RequestSpec, RequestOptions]


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
    book = Journal(journal) if journal is not None else None
    reporter = Reporter(on_progress, progress)
    sender = client.with_options(max_retries=0)  # the batch re-sends, and only what is safe
    waiting: dict[int, Prepared] = {}  # requests sent or to be re-sent, by item index
    source = iter(items)
    exhausted = False
    try:
        async with AsyncWorkers(concurrency) as workers:
            while True:
                now = client._clock()
                while plan.may_send(now):
                    index = plan.due_retry(now)
                    if index is None:
                        if exhausted:
                            break
                        item = next(source, END)
                        if item is END:
                            exhausted = True
                            break
                        admitted = admit(sender, plan, result, book, item, resend_in_doubt)
                        if admitted is None:
                            reporter.update(plan.progress(client._clock()))
                            continue
                        index, waiting[index] = admitted
                    if book is not None:
                        book.sending(result.keys[index])
                    plan.sending(index)
                    workers.start(partial(send_one, sender, index, waiting[index]))
                if plan.in_flight:
                    index, answer = await workers.next_done()
                    settle(client, plan, result, book, index, answer, waiting)
                    reporter.update(plan.progress(client._clock()))
                    continue
                if plan.stopped is not None:
                    for index in plan.abandon_retries():
                        unsent(result, book, index, f"not sent: the batch stopped ({plan.stopped})")
                    break
                if exhausted and not plan.retries:
                    break
                wake = plan.wake_at(now)  # a pause or a re-send ends then
                await client._sleep(max(0.0, (now if wake is None else wake) - now))
    finally:
        if book is not None:
            book.close()
    result.stopped = plan.stopped
    for name, count in plan.counts.items():
        setattr(result, name, count)
    reporter.close(plan.progress(client._clock()))
    return result


def admit(
    client: AsyncMemOS,
    plan: BatchPlan,
    result: BatchResult[AsyncTask],
    book: Journal | None,
    item: Mapping[str, Any],
    resend_in_doubt: bool,
) -> tuple[int, Prepared] | None:
    """Read one item: its index and request if it is to be sent, or None when it is
    settled already (a bad item, one an earlier run submitted, one left in doubt)."""
    index = plan.admit()
    try:
        prepared = prepare(client, index, item)
        key = item_key(item)
    except InvalidRequestError as error:
        result.keys.append("")
        result.results.append(error)
        plan.settle("failed")
        return None
    result.keys.append(key)
    result.results.append(None)  # type: ignore[arg-type]  # filled when it settles
    seen = book.state(key) if book is not None else None
    if seen is None or seen[0] == FAILED:
        return index, prepared
    state, task_id, _ = seen
    if state == SUBMITTED:
        result.results[index] = (
            client.task(task_id) if task_id else client._task_from(None, 202)  # untrackable
        )
        plan.settle("skipped")
        return None
    if resend_in_doubt:
        return index, prepared
    result.results[index] = InDoubtError(
        f"item {index} ({key}) was being sent when an earlier run stopped, so it may have "
        "been added; search for it, or pass resend_in_doubt=True to send it again",
        key=key,
    )
    plan.settle("in_doubt")
    return None


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


def settle(
    client: AsyncMemOS,
    plan: BatchPlan,
    result: BatchResult[AsyncTask],
    book: Journal | None,
    index: int,
    answer: AsyncTask | MemOSError,
    waiting: dict[int, Prepared],
) -> None:
    """Record one answer: submitted, in doubt, failed, or to be sent again."""
    now = client._clock()
    key = result.keys[index]
    if not isinstance(answer, MemOSError):
        plan.record(index, "submitted", now)
        if book is not None:
            book.submitted(key, answer.id)
        result.results[index] = answer
        waiting.pop(index, None)
        return
    retryable = client._retry_policy.should_retry(answer, "write")
    verdict = classify(answer, retryable=retryable)
    outcome = plan.record(index, verdict, now, getattr(answer, "retry_after", None))
    result.results[index] = answer  # the last error, also while it waits to be re-sent
    if outcome is None:
        return
    waiting.pop(index, None)
    if outcome == "failed" and book is not None:
        book.failed(key, str(answer))  # in doubt stays "sending": never re-sent by itself


def unsent(result: BatchResult[Any], book: Journal | None, index: int, reason: str) -> None:
    """An item the batch gave up on before sending it again."""
    error = result.results[index]
    if not isinstance(error, MemOSError):
        error = MemOSError(reason)
        result.results[index] = error
    if book is not None:
        book.failed(result.keys[index], reason)
