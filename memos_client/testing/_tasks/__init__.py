"""Tasks: `get/status`, and settling (finishing whatever is due, in due order).

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
