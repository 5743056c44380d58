"""Messages and feedback: `get/message`, `add/feedback`, message validation, and
feedback refinement.

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
