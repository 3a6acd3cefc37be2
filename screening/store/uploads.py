"""Uploaded files kept by content (SHA-256), under a disk cap and a retention period.

A round refers to its input files by hash, so the same list saved in ten rounds is stored once.
Stored uploads together may not exceed the cap: a save that would go beyond it is refused (with
what is used and what the cap is) rather than silently dropping older evidence. An upload not
used by any new round for the retention period has its content deleted; its hash, size and dates
stay, so a round still says which file it screened, and its stored result still opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass

from ..issues.record import ScreeningError, make_issue

MB = 1024 * 1024
ENV_CAP = "SCREENING_UPLOAD_CAP_MB"
ENV_RETENTION = "SCREENING_UPLOAD_RETENTION_DAYS"


@dataclass(frozen=True)
class UploadPolicy:
    cap_bytes: int = 500 * MB
    retention_days: float = 365.0

    @classmethod
    def from_environment(cls) -> UploadPolicy:
        """The defaults, or ``$SCREENING_UPLOAD_CAP_MB`` / ``$SCREENING_UPLOAD_RETENTION_DAYS``."""
        default = cls()
        try:
            cap = float(os.environ.get(ENV_CAP, default.cap_bytes / MB))
            days = float(os.environ.get(ENV_RETENTION, default.retention_days))
        except ValueError as exc:
            raise ScreeningError(
                [make_issue("store-bad-setting", value=str(exc), names=f"{ENV_CAP}, {ENV_RETENTION}")]
            ) from None
        return cls(cap_bytes=int(cap * MB), retention_days=days)


def now_text(now: dt.datetime | None = None) -> str:
    """A timestamp as stored: UTC, ISO 8601, seconds (sorts as text)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def used_bytes(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE content IS NOT NULL").fetchone()[0]


def keep_upload(conn: sqlite3.Connection, data: bytes, policy: UploadPolicy, now: str) -> str:
    """Store ``data`` (once per content) and mark it used now; its SHA-256."""
    digest = sha256_of(data)
    row = conn.execute("SELECT content IS NOT NULL FROM uploads WHERE sha256 = ?", (digest,)).fetchone()
    if row and row[0]:
        conn.execute("UPDATE uploads SET last_used = ? WHERE sha256 = ?", (now, digest))
        return digest
    used = used_bytes(conn)
    if used + len(data) > policy.cap_bytes:
        raise ScreeningError(
            [
                make_issue(
                    "store-upload-cap",
                    value=f"{len(data) / MB:.1f} MB",
                    used=f"{used / MB:.1f} MB",
                    cap=f"{policy.cap_bytes / MB:.0f} MB",
                    setting=ENV_CAP,
                )
            ]
        )
    if row:  # kept before and purged since: the same content comes back
        conn.execute(
            "UPDATE uploads SET content = ?, purged_at = NULL, last_used = ? WHERE sha256 = ?", (data, now, digest)
        )
    else:
        conn.execute(
            "INSERT INTO uploads (sha256, size, content, stored_at, last_used) VALUES (?, ?, ?, ?, ?)",
            (digest, len(data), data, now, now),
        )
    return digest


def upload_content(conn: sqlite3.Connection, digest: str) -> bytes | None:
    """The stored bytes, or None when the retention period has deleted them."""
    row = conn.execute("SELECT content FROM uploads WHERE sha256 = ?", (digest,)).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def purge_expired(conn: sqlite3.Connection, policy: UploadPolicy, now: dt.datetime | None = None) -> int:
    """Delete the content of uploads unused for the retention period; how many were purged."""
    moment = now or dt.datetime.now(dt.UTC)
    cutoff = now_text(moment - dt.timedelta(days=policy.retention_days))
    cursor = conn.execute(
        "UPDATE uploads SET content = NULL, purged_at = ? WHERE content IS NOT NULL AND last_used < ?",
        (now_text(moment), cutoff),
    )
    return cursor.rowcount
