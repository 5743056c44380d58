"""The I/O-free core shared by the async and sync clients.

Values in, values out: request specs, validation, envelope decoding and error
mapping, retry decisions, Retry-After parsing and the poll schedule. Nothing here
sends, sleeps or reads a clock; callers pass `now`, attempt numbers and random draws.
"""
