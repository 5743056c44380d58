"""Knowledge bases: create/delete, their files (JSON or multipart uploads), the
records, and the file pipeline (documents parsed into chunks and skills).

Each domain registers its endpoints in its `_routes.py`; `testing._routes` merges them.
"""
