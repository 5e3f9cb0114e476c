"""The history store: one SQLite file through the standard library, no server.

WAL mode; the schema is versioned with ``PRAGMA user_version`` and migrated in code (one
script per version, applied in order, each in its own transaction). A write takes the
database's write lock at once (``BEGIN IMMEDIATE``); a second writer waits briefly, then
gets a usage error. Every change is one transaction: a crash, Ctrl-C or SIGKILL in the
middle leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from engine.errors import UsageError

BUSY_TIMEOUT_S = 3.0

# One script per schema version; never edit a released one, add the next.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        rule_set_id TEXT NOT NULL,
        rule_set_version TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        first_reference TEXT,
        last_reference TEXT,
        scored INTEGER NOT NULL,
        rejected INTEGER NOT NULL
    );
    CREATE TABLE round_items (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        content TEXT NOT NULL,
        PRIMARY KEY (round_id, item_id)
    ) WITHOUT ROWID;
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        branch TEXT,
        name TEXT,
        parent TEXT,
        source TEXT NOT NULL,
        sha256 TEXT,
        status TEXT NOT NULL,
        reference_date TEXT,
        score INTEGER,
        self_score INTEGER,
        rating TEXT,
        vetoed INTEGER,
        vetoes TEXT,
        groups TEXT
    );
    CREATE INDEX submissions_round ON submissions(round_id);
    CREATE INDEX submissions_branch ON submissions(branch);
    CREATE TABLE results (
        submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        answer TEXT,
        status INTEGER NOT NULL,
        credit INTEGER,
        earned INTEGER NOT NULL,
        max INTEGER NOT NULL,
        gain INTEGER,
        PRIMARY KEY (submission_id, item_id)
    ) WITHOUT ROWID;
    """,
    # 2: the rectification each branch declared for a round's gaps (rectification import). Keyed by
    # the round's name, not its row: recording the round again keeps what the branches declared.
    """
    CREATE TABLE declared (
        round TEXT NOT NULL,
        branch TEXT NOT NULL,
        item_id TEXT NOT NULL,
        state TEXT NOT NULL,
        due TEXT,
        owner TEXT,
        measure TEXT,
        source TEXT NOT NULL,
        PRIMARY KEY (round, branch, item_id)
    ) WITHOUT ROWID;
    """,
    # 3: each submission's gaps beside it ("check point:credit" separated by spaces, in check-point id
    # order; NULL without gaps), so that comparing a round of 10,000 branches reads 10,000 rows instead
    # of scanning the round's 1.75 million results. The results table stays the record of every check
    # point. Gap = scored (max > 0) and 部分符合 (1), 不符合 (2) or 未作答 (3), as recorded.
    """
    ALTER TABLE submissions ADD COLUMN gaps TEXT;
    UPDATE submissions SET gaps = (
        SELECT group_concat(item_id || ':' || ifnull(credit, ''), ' ')
        FROM (SELECT item_id, credit FROM results
              WHERE submission_id = submissions.id AND max > 0 AND status IN (1, 2, 3) ORDER BY item_id)
    )
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(UsageError):
    """The store cannot be used as asked (busy, newer than this tool, not a store)."""


class Store:
    """``with Store(path) as store:`` — opened, migrated, closed on exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> Store:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"无法打开历史记录库 {self.path}：请检查路径是否存在、是否有写入权限（{exc}）") from None
        self.db = db
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _translated(exc, self.path) from None
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    @property
    def conn(self) -> sqlite3.Connection:
        assert self.db is not None, "the store is not open"
        return self.db

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"历史记录库 {self.path} 由更新版本的 branchcheck 创建（格式 {version}），请升级 branchcheck 后再使用"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.writing() as db:
                for statement in MIGRATIONS[number].split(";"):  # executescript would commit midway
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it or nothing."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _translated(exc, self.path) from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise _translated(exc, self.path) from None


def _translated(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"历史记录库 {path} 正被另一个 branchcheck 写入，请等它结束后再运行")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} 不是 branchcheck 的历史记录库，或已损坏；请检查 --history 指定的文件")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"历史记录库 {path} 只能读、不能写入，请检查文件权限")
    if "disk" in text and "full" in text:
        return StoreError(f"磁盘已满，无法写入历史记录库 {path}")
    return StoreError(f"历史记录库 {path} 无法使用（SQLite：{text}）")
