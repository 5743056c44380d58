"""The endpoints of this domain: path (after `/api/openmem/v1/`) -> route."""

from __future__ import annotations

from .._call import Route
from .profile_templates import (
    add_template,
    bind_template,
    delete_template,
    get_template,
    list_templates,
    update_template,
)
from .profiles import delete_profile, edit_profile

__all__ = ["ROUTES"]

ROUTES: dict[str, Route] = {
    "add/profile_template": Route(add_template),
    "update/profile_template": Route(update_template),
    "get/profile_template": Route(get_template),
    "list/profile_template": Route(list_templates),
    "delete/profile_template": Route(delete_template),
    "bind/profile_template": Route(bind_template),
    "edit/profile": Route(edit_profile),
    "delete/profile": Route(delete_profile),
}
