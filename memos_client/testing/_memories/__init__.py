"""Memories and search: `add/message`, `search/memory`, `get/memory` (list and by id),
`update/memory`, `delete/memory`, and their backend: the async pipeline, extraction,
the indexes, recall and relevance, the lexicon and text rules, filters and views.

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
