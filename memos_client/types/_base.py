"""The base of every response model: wire names, unknown fields kept, readable output.

Models keep MemOS's own field names so its docs apply. Unknown fields are kept
(`model_extra`), never rejected, so a new server field cannot break an old client.
A field whose value did not fit its type keeps the value as sent (see
`memos_client._core._decode`), so the helpers here read fields through `items()`
and `count()`, which treat a misfit as absent instead of failing.

Iterating a model means something or fails: a collection (a page, a search result,
a message history) yields its items, and any other model raises `TypeError`
instead of pydantic's `(field, value)` pairs (use `model_dump()` for those).
A listing's page (`Page`) also walks on to the pages after it, see `Page`.

A model's `repr` is one line that says what it is (`TaskStatus(task_id='t-1',
status='running')`, `MemoryPage(page 1 of 3, 20 memories)`), and `_repr_html_` a table
for notebooks, both drawn by `memos_client._display`; a model says only which fields
(`_repr_fields`) or, for a `Collection`, which columns (`_columns`, `_rows`) it shows.
`str()` still lists every field.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from contextlib import aclosing
from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, NoReturn, TypeVar, cast

from pydantic import BaseModel, ConfigDict
from typing_extensions import Self

from .. import _display as display

__all__ = [
    "AsyncMorePages",
    "AsyncPaginator",
    "Collection",
    "MemOSModel",
    "MorePages",
    "Page",
    "Timestamped",
    "count",
    "items",
    "to_datetime",
]

# Pickling walks nested containers recursively and fails near 500 levels; a model's
# values deeper than this are replaced by a marker when it is pickled.
MAX_PICKLE_DEPTH = 200
NOT_FETCHED = "not fetched: await it for the page, or async for over every item"
T = TypeVar("T")
ModelT = TypeVar("ModelT", bound="MemOSModel")


def retyped(cls: type[ModelT], reading: MemOSModel) -> ModelT:
    """`reading` as its subclass `cls` (say, a status typed as final): every field and
    unknown field kept, the request id too, nothing validated again."""
    if isinstance(reading, cls):
        return reading
    fields = {**reading.__dict__, **(reading.model_extra or {})}
    copy = cls.model_construct(_fields_set=set(reading.model_fields_set), **fields)
    if reading.__pydantic_private__:
        object.__setattr__(copy, "__pydantic_private__", dict(reading.__pydantic_private__))
    return cast(ModelT, copy)


def items(value: object, kind: type[T]) -> list[T]:
    """The `kind` items of a list field; a misfit value or item counts as absent."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, kind)]


def count(value: object) -> int | None:
    """An integer field as an int; None when absent or a misfit."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def to_datetime(value: int | float | str | None) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (int or numeric string) or ISO 8601."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    try:
        return datetime.fromtimestamp(value / 1000.0, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):  # out of range, or NaN
        return None


class MemOSModel(BaseModel):
    """Base class of the response models."""

    # Unknown fields are kept; an id or code sent as a number still reads as a string.
    # Each model's validator is built on its first use, not at import: a program that
    # only searches never pays for the chat, knowledge-base and profile models.
    model_config = ConfigDict(
        extra="allow", populate_by_name=True, coerce_numbers_to_str=True, defer_build=True
    )

    _repr_fields: ClassVar[tuple[str, ...]] = ()
    """What the one-line repr shows: these fields (or labels from `_shown`), those
    with a value; empty: every field with a value. A collection counts its items."""

    @property
    def _request_id(self) -> str | None:
        """The request id the server sent with the answer this model came from (None
        when it sent none, or for a model you built). Not a declared private attribute,
        which would slow every validation: `_stamp` puts it in the private slot, and
        equality ignores it."""
        private = self.__pydantic_private__
        return private.get("_request_id") if private else None

    def __eq__(self, other: object) -> bool:
        """Equal when of one type with equal fields and unknown fields (the request id
        an answer came with does not count)."""
        if not isinstance(other, BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    __hash__ = None  # type: ignore[assignment]  # mutable models stay unhashable

    def _stamp(self, request_id: str | None) -> None:
        private = dict(self.__pydantic_private__ or {})
        private["_request_id"] = request_id
        object.__setattr__(self, "__pydantic_private__", private)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        return {name: _bounded(value, 0) for name, value in state.items()}

    def __iter__(self) -> Iterator[object]:  # type: ignore[override]
        """Collections override this to yield their items; other models are not iterable.

        pydantic would yield `(field, value)` pairs, which reads like a bug when a result
        is mistaken for a list; `model_dump()` gives the fields.
        """
        raise TypeError(f"{type(self).__name__} is not iterable; use .model_dump() for its fields")

    def _fields(self) -> Iterator[tuple[str, Any]]:
        """`(name, value)` of every field, unknown ones included (what pydantic iterates)."""
        yield from ((k, v) for k, v in self.__dict__.items() if not k.startswith("_"))
        yield from (self.__pydantic_extra__ or {}).items()

    def _shown(self) -> Iterator[tuple[str, object]]:
        """`(label, value)` of what this model shows: each field with a value, unknown
        ones included. Subclasses change labels and values (times read as dates)."""
        return ((name, value) for name, value in self._fields() if not _empty(value))

    def _summary(self) -> list[str]:
        """The parts of the one-line repr: `name=value` of the `_repr_fields`."""
        wanted = self._repr_fields
        shown = dict(self._shown())
        names = [name for name in wanted if name in shown] if wanted else list(shown)
        return [display.arg(name, shown[name]) for name in names]

    def _caption(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        """One line that says what this is, e.g. `TaskStatus(task_id='t-1', status='running')`
        (`str()` and `model_dump()` give every field)."""
        return display.line(type(self).__name__, self._summary())

    def _repr_html_(self) -> str:
        """A table of the fields with a value, for notebooks: the repr's first."""
        first = {name: place for place, name in enumerate(self._repr_fields)}
        pairs = sorted(self._shown(), key=lambda pair: first.get(pair[0], len(first)))
        return display.fields_table(self._caption(), pairs)


class Timestamped(MemOSModel):
    """A model with MemOS's `create_time` / `update_time` (epoch ms in practice)."""

    create_time: int | float | str | None = None
    """Creation time as sent: epoch milliseconds in practice, ISO 8601 in the spec."""
    update_time: int | float | str | None = None
    """Last update time as sent; see `create_time`."""

    @property
    def created_at(self) -> datetime | None:
        """`create_time` as an aware UTC datetime (None when absent or unreadable)."""
        return to_datetime(self.create_time)

    @property
    def updated_at(self) -> datetime | None:
        """`update_time` as an aware UTC datetime (None when absent or unreadable)."""
        return to_datetime(self.update_time)

    def _shown(self) -> Iterator[tuple[str, object]]:
        """The fields, with `create_time`/`update_time` read as `created_at`/`updated_at`
        dates (kept as sent when unreadable)."""
        dates = {"create_time": ("created_at", self.created_at)}
        dates["update_time"] = ("updated_at", self.updated_at)
        for name, value in super()._shown():
            label, moment = dates.get(name, (name, None))
            yield (label, moment) if moment is not None else (name, value)


class Collection(MemOSModel):
    """A model that holds a list of items (a search result, a page, a message history):
    its repr counts them, `MessageHistory(3 messages)`, and its HTML is a table of
    them, one row each, under `_columns`."""

    _noun: ClassVar[tuple[str, str]] = ("item", "items")
    """What an item is called, singular and plural."""
    _columns: ClassVar[tuple[str, ...]] = ()

    def __len__(self) -> int:
        raise NotImplementedError

    def _rows(self) -> list[tuple[object, ...]]:
        """One row per item, its values under `_columns`."""
        raise NotImplementedError

    def _summary(self) -> list[str]:
        return [display.plural(len(self), *self._noun)]

    def _caption(self) -> str:
        return f"{type(self).__name__}: {', '.join(self._summary())}"

    def _repr_html_(self) -> str:
        return display.table(self._caption(), self._columns, self._rows())


class Page(Collection):
    """A page of a listing (memories, knowledge-base files, profile templates).

    Its lists hold this page's items, and `len()` counts them. Iterating it walks
    every item from this page on: this page's, then each next page's, fetched with
    the listing's arguments only when the iteration reaches it. A page a client did
    not just return (built by hand, copied, or unpickled) cannot fetch: iterating it
    yields its own items only. A page from `AsyncMemOS` walks with `async for`;
    a plain `for` over it raises `TypeError` rather than stop after one page.
    """

    # How to reach the pages after this one, set by the client that fetched it. A slot,
    # not a field or private attribute: pydantic's copy, pickle, equality and repr never
    # see it, so the client (and the key it holds) stays out of all of them.
    __slots__ = ("_more",)

    def next_page(self) -> int | None:
        """The next page number, or None on the last page."""
        raise NotImplementedError

    def _position(self) -> tuple[object, object]:
        """This page's number and how many pages there are, as sent (either may be
        absent or a misfit)."""
        raise NotImplementedError

    def _summary(self) -> list[str]:
        """`["page 1 of 3", "20 memories"]` (the page part only when the number is known)."""
        number, pages = (count(value) for value in self._position())
        if number is None:
            return super()._summary()
        # `cell_text`, not str(): a page number past 4,300 digits cannot be converted.
        where = f"page {display.cell_text(number)}"
        if pages is not None:
            where += f" of {display.cell_text(pages)}"
        return [where, *super()._summary()]

    def _items(self) -> Iterator[Any]:
        """This page's own items, skipping any that did not decode as their model."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return self._walk()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._walk_async()

    @classmethod
    def _start(cls, fetch: Callable[[], Self]) -> Self:
        """The sync client's listing: the page, fetched now (`AsyncPaginator._start`
        is the async client's, which fetches when awaited or iterated)."""
        return fetch()

    def _walk_on(self, more: MorePages | AsyncMorePages) -> None:
        object.__setattr__(self, "_more", more)

    def _more_pages(self) -> MorePages | AsyncMorePages | None:
        # Read the slot itself: pydantic's `getattr` would fall back to an unknown field
        # that a server happened to call "_more".
        try:
            more = object.__getattribute__(self, "_more")
        except AttributeError:  # never set: built by hand, copied or unpickled
            return None
        return more if isinstance(more, (MorePages, AsyncMorePages)) else None

    def _walk(self) -> Generator[Any, None, None]:
        more = self._more_pages()
        if isinstance(more, AsyncMorePages):
            raise TypeError(
                f"this {type(self).__name__} came from AsyncMemOS, which fetches with await: "
                "walk every item with `async for`; this page's own items are in its lists"
            )
        return self._walk_from(more)

    def _walk_from(self, more: MorePages | None) -> Generator[Any, None, None]:
        yield from self._items()
        if more is not None:
            for page in more(self):
                yield from page._items()

    def _walk_async(self) -> AsyncGenerator[Any, None]:
        more = self._more_pages()
        if isinstance(more, MorePages):
            raise TypeError(
                f"this {type(self).__name__} came from the sync MemOS client: walk every item "
                "with a plain `for`"
            )
        return self._walk_async_from(more)

    async def _walk_async_from(self, more: AsyncMorePages | None) -> AsyncGenerator[Any, None]:
        for item in self._items():
            yield item
        if more is not None:
            async with aclosing(more(self)) as pages:  # closed with this walk (trio asks)
                async for page in pages:
                    for item in page._items():
                        yield item


PageT = TypeVar("PageT", bound=Page)
ItemT = TypeVar("ItemT")


class MorePages:
    """The pages after a sync client's page, fetched one by one as they are reached."""

    __slots__ = ("_after",)

    def __init__(self, after: Callable[[Any], Iterator[Any]]) -> None:
        self._after = after

    def __call__(self, page: Page) -> Iterator[Page]:
        return self._after(page)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"  # never the client behind it

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds a client and cannot be pickled")


class AsyncMorePages:
    """The pages after an async client's page, fetched one by one as they are reached."""

    __slots__ = ("_after",)

    def __init__(self, after: Callable[[Any], AsyncGenerator[Any, None]]) -> None:
        self._after = after

    def __call__(self, page: Page) -> AsyncGenerator[Page, None]:
        return self._after(page)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"  # never the client behind it

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds a client and cannot be pickled")


class AsyncPaginator(Generic[PageT, ItemT]):
    """What a listing's `list()` returns on `AsyncMemOS`: `await` it for the page (as
    on `MemOS`), or `async for` over it for every item of every page, each page
    fetched only when the iteration reaches it. Nothing is sent until then, and each
    `await` or `async for` sends the listing anew.
    """

    __slots__ = ("_fetch",)

    def __init__(self, fetch: Callable[[], Awaitable[PageT]]) -> None:
        self._fetch = fetch

    @classmethod
    def _start(cls, fetch: Callable[[], Awaitable[PageT]]) -> Self:
        """The async client's listing: fetched when awaited or iterated."""
        return cls(fetch)

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._fetch().__await__()

    async def __aiter__(self) -> AsyncGenerator[ItemT, None]:
        page = await self._fetch()
        async with aclosing(page._walk_async()) as items:  # closed with this walk
            async for item in items:
                yield item

    def __repr__(self) -> str:
        return display.line(type(self).__name__, [NOT_FETCHED])

    def _repr_html_(self) -> str:
        return display.prose(type(self).__name__, NOT_FETCHED)

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} holds a client and cannot be pickled; "
            "await it and pickle the page"
        )


def _empty(value: object) -> bool:
    """Whether a field shows nothing worth a row: None, or an empty text, list or dict."""
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def _bounded(value: Any, depth: int) -> Any:
    if isinstance(value, (dict, list)):
        if depth >= MAX_PICKLE_DEPTH:
            return "<nested too deeply>"
        if isinstance(value, dict):
            return {key: _bounded(item, depth + 1) for key, item in value.items()}
        return [_bounded(item, depth + 1) for item in value]
    return value
