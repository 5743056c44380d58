"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .feedback import add_feedback
from .get_message import get_message

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "add/feedback": Route(add_feedback),
    "get/message": Route(get_message),
}
