"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .kb_files import add_files, delete_files, get_files, update_file
from .knowledgebases import create_knowledgebase, delete_knowledgebase

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "create/knowledgebase": Route(create_knowledgebase),
    "delete/knowledgebase": Route(delete_knowledgebase),
    "add/knowledgebase-file": Route(add_files, body="form"),
    "get/knowledgebase-file": Route(get_files),
    "delete/knowledgebase-file": Route(delete_files),
    "update/knowledgebase-file": Route(update_file, body="form"),
}
