"""The audit manifest of a ``score`` run, and verifying a folder against it.

``DIR/manifest.json`` records the tool and Python versions, the rule set, the
options, every input (path, size, sha256, status) and every output (path
relative to DIR, sha256). Paths are valid UTF-8: bytes of a file name that are
not are shown as ``\\xNN``, and the input's real path is then also kept as
``resolved_bytes`` (hex) so that ``verify`` can still find it. How a rerun
replaces the outputs it lists is :mod:`engine.batch.outfolder`'s business.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import engine
from engine.errors import MissingInputError
from engine.files import atomic_text
from engine.outnames import MANIFEST_NAME
from engine.rules.model import RuleSet
from engine.scoring.model import Result
from engine.textsafe import escape_surrogates

__all__ = ["MANIFEST_NAME", "Change", "read_manifest", "sha256_of", "verify", "write_manifest"]

MANIFEST_FORMAT = "branchcheck.manifest/1"


def sha256_of(path: Path) -> str:
    """The file's sha256; opened without blocking, so a FIFO swapped in after a check cannot hang us."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def write_manifest(
    out_dir: Path, rules: RuleSet, options: dict[str, Any], results: list[Result], outputs: list[Path]
) -> Path:
    document = {
        "format": MANIFEST_FORMAT,
        "tool_version": engine.__version__,
        "python_version": platform.python_version(),
        "rule_set": {"id": rules.id, "version": rules.version, "fingerprint": rules.fingerprint},
        "options": options,
        "inputs": [_input(r) for r in results],
        "outputs": [
            {"path": p.relative_to(out_dir).as_posix(), "sha256": sha256_of(p)} for p in sorted(outputs)
        ],
    }
    target = out_dir / MANIFEST_NAME
    with atomic_text(target) as stream:
        json.dump(document, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return target


def _input(r: Result) -> dict[str, Any]:
    resolved = os.path.abspath(r.source)
    entry: dict[str, Any] = {
        "path": escape_surrogates(r.source),
        "resolved": escape_surrogates(resolved),
        "size": _size(r.source),
        "sha256": r.sha256 or None,
        "status": r.status,
    }
    if entry["resolved"] != resolved:
        entry["resolved_bytes"] = os.fsencode(resolved).hex()
    return entry


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        loaded: dict[str, Any] = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if loaded.get("format") == MANIFEST_FORMAT else None


@dataclass(frozen=True)
class Change:
    kind: str  # "input" | "output"
    path: str
    problem: str  # Chinese: 已缺失 / 内容已变更


def verify(out_dir: Path) -> list[Change]:
    """Re-hash the inputs and outputs listed in ``out_dir/manifest.json``; what changed or is missing."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise MissingInputError(f"找不到审计清单：{out_dir / MANIFEST_NAME}（该文件夹不是 branchcheck score 的输出）")
    changes: list[Change] = []
    for entry in manifest["inputs"]:
        raw = entry.get("resolved_bytes")
        where = os.fsdecode(bytes.fromhex(raw)) if isinstance(raw, str) else entry["resolved"]
        _compare(Path(where), entry["sha256"], "input", entry["path"], changes)
    for entry in manifest["outputs"]:
        _compare(out_dir / entry["path"], entry["sha256"], "output", entry["path"], changes)
    return changes


def _compare(path: Path, expected: str | None, kind: str, shown: str, changes: list[Change]) -> None:
    if expected is None:  # an input that could not be read at the time
        return
    try:
        st = os.stat(path)
    except OSError:
        changes.append(Change(kind, shown, "已缺失"))
        return
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end: never opened
        changes.append(Change(kind, shown, "已被替换为文件夹或特殊文件"))
        return
    try:
        actual = sha256_of(path)
    except OSError:
        changes.append(Change(kind, shown, "无法读取"))
        return
    if actual != expected:
        changes.append(Change(kind, shown, "内容已变更"))
