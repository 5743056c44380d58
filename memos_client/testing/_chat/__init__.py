"""Chat and the model endpoints: `chat` (JSON or server-sent events), `extract/memory`
and `rerank`, and chat's deterministic answer.

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
