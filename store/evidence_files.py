"""The evidence directory: each file's bytes kept once, named by their SHA-256, so a photo
sent twice, or to two cases, takes its space once and never overwrites another."""

import hashlib
import os
import tempfile
from pathlib import Path

from domain.evidence import SHA256_PATTERN

_SHA256_CHARS = frozenset("0123456789abcdef")


def write_once(path: Path, data: bytes) -> None:
    """Writes `data` to `path` unless a file is there already (a name made from its hash
    holds the same bytes); a half-written file never shows under the name: it is written
    aside, synced, then renamed."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as partial:
        partial.write(data)
        partial.flush()
        os.fsync(partial.fileno())
    os.replace(partial.name, path)


class EvidenceFiles:
    """Content-addressed files under `directory`, fanned out by the hash's first two
    characters so no directory grows past a few thousand entries."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_of(self, sha256: str) -> Path:
        """Returns where the file with `sha256` is kept; raises ValueError for anything
        that is not a hash (it is joined to a path)."""
        if len(sha256) != 64 or not set(sha256) <= _SHA256_CHARS:
            raise ValueError(f"not a SHA-256 ({SHA256_PATTERN}): {sha256[:80]!r}")
        return self.directory / sha256[:2] / sha256

    def keep(self, data: bytes) -> str:
        """Writes `data` unless it is kept already; returns its SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        write_once(self.path_of(digest), data)
        return digest

    def read(self, sha256: str) -> bytes:
        """Returns the bytes kept under `sha256`; raises FileNotFoundError."""
        return self.path_of(sha256).read_bytes()
