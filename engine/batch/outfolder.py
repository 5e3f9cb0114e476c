"""The output folder of a ``score`` run: one run at a time, the new output set staged and
swapped in whole, nothing a person wrote destroyed.

- The run holds an exclusive lock (``.branchcheck.lock`` in the folder) from start to end;
  a second run into the same folder stops at once with a usage error.
- Every output is first written into a hidden staging folder inside the output folder.
  Only when all are written are they moved into place, with SIGINT and SIGTERM held back,
  the manifest last; until then the previous output set is untouched, so a crash, Ctrl-C
  or SIGTERM leaves it as it was. The move is renames only, undone if one of them fails.
- A previous output whose sha256 no longer matches the previous manifest (e.g. a 问题清单
  whose 整改 columns were filled in) is moved aside as ``已修改-<name>``; a file that merely
  has an output's name but is not listed in the manifest as written by us is moved aside as
  ``原有-<name>``. A file is deleted only when the previous manifest lists it and its hash
  still matches, and never when it is an input of this run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from engine.batch.manifest import read_manifest, sha256_of
from engine.errors import UsageError
from engine.outnames import (
    EDITED_PREFIX,
    FOREIGN_PREFIX,
    LOCK_NAME,
    MANIFEST_NAME,
    NOTICE_DIR,
    STAGING_PREFIX,
    UNIT_DIR,
    is_working_dir,
)

_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@dataclass
class Swap:
    """What the swap did besides putting the new outputs in place."""

    set_aside: list[tuple[Path, Path]] = field(default_factory=list)  # (was, now) for edited/foreign files
    removed: int = 0  # previous outputs not part of the new set


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a short critical section; they arrive when it ends."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class OutputFolder:
    """``with OutputFolder(path) as folder:`` write into ``folder.staging``, then ``folder.commit(...)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.staging = path  # set on entry
        self.previous: dict[str, Any] | None = None
        self._lock_fd: int | None = None

    def __enter__(self) -> OutputFolder:
        _prepare(self.path)
        self._lock()
        try:
            self._remove_stale_staging()
            self.previous = read_manifest(self.path)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            with signals_held():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._unlock()

    def _lock(self) -> None:
        try:
            fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise UsageError(f"无法在输出文件夹 {self.path} 中建立锁文件：{exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise UsageError(
                f"另一个 branchcheck 正在向输出文件夹 {self.path} 写入结果；"
                "请等它结束后再运行，或用 -o 换一个输出文件夹"
            ) from None
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the lock; the empty lock file stays
            self._lock_fd = None

    def _remove_stale_staging(self) -> None:
        """Staging folders of runs that were killed outright (SIGKILL, power loss): ours, never complete."""
        with os.scandir(self.path) as entries:
            for entry in entries:
                if is_working_dir(entry.name) and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def previous_outputs(self) -> dict[str, str]:
        """The previous manifest's outputs inside the folder: relative path → sha256."""
        listed: dict[str, str] = {}
        if self.previous is None:
            return listed
        root = self.path.resolve()
        for entry in self.previous.get("outputs", []):
            if not isinstance(entry, dict):
                continue
            rel, digest = str(entry.get("path", "")), entry.get("sha256")
            target = (self.path / rel).resolve()
            if isinstance(digest, str) and target != root and root in target.parents:
                listed[target.relative_to(root).as_posix()] = digest
        return listed

    def commit(self, written: list[Path], inputs: set[str]) -> Swap:
        """Move the staged outputs ``written`` into the folder (the manifest last); ``inputs`` are the
        real paths of this run's inputs, which are never moved or deleted."""
        rels = sorted((p.relative_to(self.staging).as_posix() for p in written), key=lambda r: r == MANIFEST_NAME)
        plan = _Plan(self.path, self.staging, self.previous_outputs(), inputs, self.previous is not None)
        steps = plan.steps(rels)  # hashing the previous outputs changes nothing: may be interrupted
        with signals_held():
            return plan.execute(steps)


@dataclass
class _Plan:
    root: Path
    staging: Path
    old: dict[str, str]
    inputs: set[str]
    had_manifest: bool
    swap: Swap = field(default_factory=Swap)
    _taken: set[Path] = field(default_factory=set)

    def steps(self, rels: list[str]) -> list[tuple[Path, Path]]:
        """Renames (from, to), in order: set-asides and deletions (to the staging trash) first."""
        moves: list[tuple[Path, Path]] = []
        trash = self.staging / ".trash"
        new = set(rels)
        for rel in rels:
            target = self.root / rel
            if os.path.lexists(target) and not self._replaceable(rel, target):
                moves.append((target, self._aside(target, self._verdict(rel, target))))
        for n, (rel, digest) in enumerate(sorted(self.old.items())):
            target = self.root / rel
            if rel in new or not target.is_file() or target.is_symlink() or self._is_input(target):
                continue
            if _hash(target) == digest:
                moves.append((target, trash / str(n)))
                self.swap.removed += 1
            else:
                moves.append((target, self._aside(target, EDITED_PREFIX)))
        moves.extend((self.staging / rel, self.root / rel) for rel in rels)
        return moves

    def _replaceable(self, rel: str, target: Path) -> bool:
        """An existing file at an output's place may be replaced only if it is our unchanged output."""
        if target.is_symlink() or not target.is_file() or self._is_input(target):
            return False
        if rel == MANIFEST_NAME:
            return self.had_manifest
        return rel in self.old and _hash(target) == self.old[rel]

    def _verdict(self, rel: str, target: Path) -> str:
        return EDITED_PREFIX if rel in self.old and not self._is_input(target) else FOREIGN_PREFIX

    def _is_input(self, target: Path) -> bool:
        return os.path.realpath(target) in self.inputs

    def _aside(self, target: Path, prefix: str) -> Path:
        """``已修改-<name>``, or ``已修改-2-<name>`` … when that is taken too."""
        n = 1
        while True:
            name = f"{prefix}{target.name}" if n == 1 else f"{prefix}{n}-{target.name}"
            candidate = target.with_name(name)
            if candidate not in self._taken and not os.path.lexists(candidate):
                self._taken.add(candidate)
                self.swap.set_aside.append((target, candidate))
                return candidate
            n += 1

    def execute(self, steps: list[tuple[Path, Path]]) -> Swap:
        done: list[tuple[Path, Path]] = []
        try:
            for source, target in steps:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                done.append((source, target))
        except BaseException:
            for source, target in reversed(done):  # put everything back as it was
                with contextlib.suppress(OSError):
                    os.replace(target, source)
            raise
        for folder in (NOTICE_DIR, UNIT_DIR):
            with contextlib.suppress(OSError):
                (self.root / folder).rmdir()  # only if the previous run's files there are all gone
        return self.swap


def _hash(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


def _prepare(out_dir: Path) -> None:
    """Fail before any work when the output folder cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置 {out_dir} 是一个文件，不是文件夹，请用 -o 指定一个文件夹")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建输出文件夹 {out_dir}：{exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise UsageError(f"没有权限写入输出文件夹 {out_dir}")
