"""HTTP plumbing: the in-process transport, the loopback server, the wire format
(envelope, `ApiError`, `FakeResponse`), multipart bodies, request parsing and
field validation, auth, and the request log. No domain logic lives here.
"""
