"""The audit manifest of a ``score`` run, and verifying a folder against it.

``DIR/manifest.json`` records the tool and Python versions, the rule set, the
options, every input (path, size, sha256, status) and every output (path
relative to DIR, sha256). A rerun into the same folder first removes the
outputs the previous manifest lists, and nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import engine
from engine.errors import MissingInputError
from engine.files import atomic_text
from engine.rules.model import RuleSet
from engine.scoring.model import Result

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "branchcheck.manifest/1"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
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
        "inputs": [
            {
                "path": r.source,
                "resolved": os.path.abspath(r.source),
                "size": _size(r.source),
                "sha256": r.sha256 or None,
                "status": r.status,
            }
            for r in results
        ],
        "outputs": [
            {"path": p.relative_to(out_dir).as_posix(), "sha256": sha256_of(p)} for p in sorted(outputs)
        ],
    }
    target = out_dir / MANIFEST_NAME
    with atomic_text(target) as stream:
        json.dump(document, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return target


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        loaded: dict[str, Any] = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if loaded.get("format") == MANIFEST_FORMAT else None


def remove_previous_outputs(out_dir: Path) -> int:
    """Delete the outputs the previous run's manifest lists (only inside ``out_dir``); returns how many."""
    previous = read_manifest(out_dir)
    if previous is None:
        return 0
    root = out_dir.resolve()
    removed = 0
    for entry in previous.get("outputs", []):
        target = (out_dir / str(entry.get("path", ""))).resolve()
        if target != root and root in target.parents and target.is_file():
            target.unlink()
            removed += 1
    with contextlib.suppress(OSError):
        (out_dir / MANIFEST_NAME).unlink()
    return removed


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
        _compare(Path(entry["resolved"]), entry["sha256"], "input", entry["path"], changes)
    for entry in manifest["outputs"]:
        _compare(out_dir / entry["path"], entry["sha256"], "output", entry["path"], changes)
    return changes


def _compare(path: Path, expected: str | None, kind: str, shown: str, changes: list[Change]) -> None:
    if expected is None:  # an input that could not be read at the time
        return
    try:
        actual = sha256_of(path)
    except OSError:
        changes.append(Change(kind, shown, "已缺失"))
        return
    if actual != expected:
        changes.append(Change(kind, shown, "内容已变更"))
