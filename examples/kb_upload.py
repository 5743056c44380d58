"""Knowledge base: create one, upload files, wait until they are processed, search it.

1. Creates a knowledge base.
2. Uploads two documents in one call: a file on disk (a path) and content made in
   memory (`FileUpload.from_bytes`). Each upload answers at once with a file handle.
3. Waits for the handles: `wait_all` puts them under one deadline (`handle.wait()`
   waits for one). MemOS has then cut the documents into searchable chunks.
4. Searches with the knowledge base (`knowledgebase_ids=`): a user's own memories and
   the documents answer together.
5. Cleans up: deletes the files and the knowledge base, even if a step failed.

Runs on MemOS Cloud when MEMOS_API_KEY is set; otherwise on the offline emulator,
served on 127.0.0.1.

    python examples/kb_upload.py
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from textwrap import shorten

from cloud_or_emulator import open_client

from memos_client import MemOS
from memos_client.types import FileUpload

GUANGZHOU_GUIDE = """\
# Guangzhou food guide

Guangzhou is famous for dim sum: try shrimp dumplings and char siu buns at a morning tea house.

Cantonese roast goose is best eaten fresh, near the Liwan district markets.
"""

CHENGDU_NOTES = b"""\
Chengdu is the home of Sichuan hot pot, mapo tofu and numbing Sichuan pepper.

Giant pandas live at the Chengdu Research Base, north of the city.
"""


def run(client: MemOS, workdir: Path) -> None:
    name = f"Travel guides {uuid.uuid4().hex[:6]}"
    kb = client.knowledgebases.create(name, knowledgebase_description="City food and sights")
    print(f"created knowledge base {name!r}")
    guide = workdir / "guangzhou.md"
    guide.write_text(GUANGZHOU_GUIDE, encoding="utf-8")
    file_ids: list[str] = []
    try:
        handles = client.knowledgebases.files.add(
            kb.id, [guide, FileUpload.from_bytes(CHENGDU_NOTES, "chengdu.txt")]
        )
        file_ids = [handle.id for handle in handles if handle.id]
        for handle in handles:
            file_name = handle.last_status.name if handle.last_status else "?"
            print(f"uploaded {file_name}: {handle.status}")

        files = client.wait_all(handles, timeout=300)  # raises if a file failed
        print("processed: " + ", ".join(f"{file.name} {file.status}" for file in files))

        hits = client.search(
            "Where can I eat dim sum in Guangzhou?",
            user_id=f"kb-reader-{uuid.uuid4().hex[:8]}",
            knowledgebase_ids=[kb.id],
        )
        print(f"search with the knowledge base, hits: {len(hits.memories)}")
        for memory in hits.memories:
            print(f"  {memory.relativity:.2f} {shorten(memory.memory_value or '', 80)}")
    finally:
        if file_ids:
            client.knowledgebases.files.delete(file_ids)
        client.knowledgebases.delete(kb.id)
        print(f"deleted {len(file_ids)} files and the knowledge base")


def main() -> None:
    with open_client() as client, tempfile.TemporaryDirectory() as workdir:
        run(client, Path(workdir))


if __name__ == "__main__":
    main()
