"""Profiles: profile templates (the template tree) and profile instances.

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
