"""Speed measurements for memos-client, kept out of the test suite.

`python -m benchmarks` compares memos-client with raw pooled httpx making the same
requests to a fast loopback server: per-call overhead (sync and async) and cold
start. See benchmarks/README.md for what each figure means and the targets.
"""
