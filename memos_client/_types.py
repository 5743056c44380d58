"""Small shared types: the `NOT_GIVEN` sentinel and the aliases used in signatures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from typing import TypeAlias

    import httpx

    from .types import TaskStatus

    TimeoutTypes: TypeAlias = "float | httpx.Timeout | None"

__all__ = ["NOT_GIVEN", "NotGiven", "TaskRef"]


class NotGiven:
    """Marks an argument the caller did not pass, where `None` has its own meaning.

    For `timeout=`, `None` means "no timeout" while `NOT_GIVEN` means "use the
    client's default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class TaskRef(Protocol):
    """Anything that names a task: a `Task` or `AsyncTask` handle (possibly unpickled)."""

    @property
    def id(self) -> str | None: ...

    @property
    def last_status(self) -> TaskStatus | None: ...
