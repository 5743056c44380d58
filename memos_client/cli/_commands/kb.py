"""`memos kb create|upload|files|delete`: knowledge bases and their files."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from ...types import FileUpload
from .. import _output as out
from .._context import Context
from .._fields import add_endpoint, call_arguments, endpoint_arguments
from .._parser import group, leaf
from .._progress import wait_for
from .memory import add_wait_options


def files_table(title: str, files: Sequence[Any]) -> Any:
    rows = ((out.named(f.name, f.id), f.type, f.status, f.size) for f in files)
    return out.table(title, ("file", "type", "status", "size"), rows)


def build_kb(parser: argparse.ArgumentParser) -> None:
    parser.description = "Knowledge bases and their files (client.knowledgebases)."
    commands = group(parser, "kb commands")
    leaf(
        commands,
        "create",
        "create a knowledge base linked to this project",
        run_create,
        epilog="example:\n  memos kb create FAQ --knowledgebase-description 'Support answers'",
        arguments=endpoint_arguments("knowledgebases.create"),
    )
    leaf(
        commands,
        "upload",
        "upload documents or skills (paths or URLs) to a knowledge base",
        run_upload,
        epilog="example:\n  memos kb upload KB_ID faq.md https://example.com/guide.pdf --wait",
        arguments=_upload_arguments,
    )
    leaf(
        commands,
        "files",
        "one page of a knowledge base's files",
        run_files,
        epilog="example:\n  memos kb files KB_ID --page-size 50",
        arguments=endpoint_arguments("knowledgebases.files.list"),
    )
    leaf(
        commands,
        "delete",
        "unlink a knowledge base from this project",
        run_delete,
        epilog="example:\n  memos kb delete KB_ID",
        arguments=endpoint_arguments("knowledgebases.delete"),
    )


def _upload_arguments(parser: argparse.ArgumentParser) -> None:
    add_endpoint(parser, "knowledgebases.files.add")
    add_wait_options(parser, "the files are processed")


def run_create(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "knowledgebases.create")
    created = context.client().knowledgebases.create(*positional, **fields)
    context.output.result(created, lambda: out.fields("knowledge base", created))
    return 0


def by_transport(files: Sequence[str]) -> list[list[FileUpload]]:
    """The uploads in the calls they need: local files go as multipart and URLs as
    JSON, and one call cannot mix the two, so a command line naming both makes two."""
    uploads = [FileUpload.coerce(name) for name in files]
    local = [upload for upload in uploads if upload.local]
    remote = [upload for upload in uploads if not upload.local]
    return [group for group in (local, remote) if group]


def run_upload(context: Context, args: argparse.Namespace) -> int:
    (knowledgebase_id, files), fields = call_arguments(args, "knowledgebases.files.add")
    client = context.client()
    handles = [
        handle
        for uploads in by_transport(files)
        for handle in client.knowledgebases.files.add(knowledgebase_id, uploads, **fields)
    ]
    records: list[Any] = [handle.last_status for handle in handles]
    if args.wait:
        records = wait_for(context.output, client, handles, args.wait_timeout)
    context.output.result(records, lambda: files_table("files", records))
    return 0


def run_files(context: Context, args: argparse.Namespace) -> int:
    positional, fields = call_arguments(args, "knowledgebases.files.list")
    page = context.client().knowledgebases.files.list(*positional, **fields)
    title = f"page {page.page} ({page.total or 0} files in all)"
    context.output.result(page, lambda: files_table(title, page.files))
    return 0


def run_delete(context: Context, args: argparse.Namespace) -> int:
    positional, _ = call_arguments(args, "knowledgebases.delete")
    result = context.client().knowledgebases.delete(*positional)
    context.output.result(result, lambda: out.fields("deleted", result))
    return 0
