"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .get_status import get_status

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "get/status": Route(get_status),
}
