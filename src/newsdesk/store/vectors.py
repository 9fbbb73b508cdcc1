"""Sentence vectors kept in the store, so ``add`` never encodes a sentence twice.

Rebuilding a story's brief after an article joins it needs the vectors of
every sentence of every member; without this table each ``add`` would encode
the whole story again (a running story of 200 articles: 6,000 sentences, ten
seconds, for one new article). The :class:`newsdesk.embed.Encoder` of the
store's engine looks here before it encodes and writes what it encoded.

Rows: ``key`` (SHA-1 of the model name and the text) and the vector as
float32 bytes, exactly as encoded, so a brief built from stored vectors is the
brief built from fresh ones. About 1.6 KB per distinct sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from newsdesk.embed import DIM, MODEL_NAME
from newsdesk.store.db import Store

__all__ = ["StoredVectors"]

#: Keys per SELECT (SQLite's default limit on bound parameters is 32,766; stay well under).
_CHUNK = 500


def _key(text: str) -> bytes:
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).digest()


class StoredVectors:
    """The store's ``sentence_vectors`` table as an encoder's second-level cache."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        by_key = {_key(t): t for t in texts}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.store.conn.execute(f"SELECT key, vector FROM sentence_vectors WHERE key IN ({marks})", chunk)
            for key, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape == (DIM,):
                    found[by_key[bytes(key)]] = vec.copy()
        return found

    def put_vectors(self, vectors: Mapping[str, np.ndarray]) -> None:
        rows = [(_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        if not rows:
            return
        sql = "INSERT OR IGNORE INTO sentence_vectors (key, vector) VALUES (?, ?)"
        if self.store.conn.in_transaction:  # part of the caller's transaction (a Spark import)
            self.store.conn.executemany(sql, rows)
            return
        with self.store.write() as conn:
            conn.executemany(sql, rows)
