"""The sentence encoder: the ONNX Runtime path gives the torch model's vectors and neighbours,
batching never changes a vector, and the backend is chosen by the models settings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsdesk import embed
from newsdesk.embed import Encoder, OnnxEncoder, export_onnx, load_encoder
from newsdesk.settings import ModelSettings

pytest.importorskip("onnxruntime")

SENTENCES = [
    "The harbour board approved a new ferry terminal on Tuesday after a long debate about costs.",
    "Board members voted to build the ferry terminal despite worries about the price.",
    "Work on the terminal is due to start in the spring and finish within two years.",
    "The city library will stay open until midnight during the exam season.",
    "Students can use the library late into the night while exams are on.",
    "Heavy rain flooded the valley road overnight, and the council closed it.",
    "Police said the road would reopen once the water had gone down.",
    "The dam's operators released water to ease pressure on the reservoir.",
    "Ferry",
    "",
    " ".join(["The committee heard evidence from engineers, residents and the port authority"] * 12) + ".",
]


@pytest.fixture(scope="module")
def vectors() -> tuple[np.ndarray, np.ndarray]:
    torch_model = load_encoder("cpu", "torch")
    onnx_model = load_encoder("cpu", "onnx")
    assert isinstance(onnx_model, OnnxEncoder)
    want = torch_model.encode(SENTENCES, normalize_embeddings=True, show_progress_bar=False)
    return want, onnx_model.encode(SENTENCES)


def test_onnx_vectors_are_the_torch_models_vectors(vectors) -> None:
    want, got = vectors
    assert got.shape == want.shape == (len(SENTENCES), 384)
    assert float(np.min(np.sum(want * got, axis=1))) > 0.9999


def test_onnx_gives_every_sentence_the_same_nearest_neighbour(vectors) -> None:
    want, got = vectors
    sim_want, sim_got = want @ want.T, got @ got.T
    np.fill_diagonal(sim_want, -2)
    np.fill_diagonal(sim_got, -2)
    assert list(sim_got.argmax(axis=1)) == list(sim_want.argmax(axis=1))
    assert float(np.abs(sim_want - sim_got).max()) < 1e-4


def test_a_sentence_gets_the_same_vector_alone_or_batched_with_longer_ones() -> None:
    model = load_encoder("cpu", "onnx")
    together = model.encode(SENTENCES, batch_size=4)
    for i, text in enumerate(SENTENCES):
        alone = model.encode([text])[0]
        assert float(alone @ together[i]) > 0.99999, text


def test_a_text_over_the_models_limit_is_truncated_not_refused() -> None:
    model = load_encoder("cpu", "onnx")
    long = " ".join(["word"] * 2000)
    vec = model.encode([long])[0]
    assert vec.shape == (384,) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


def test_the_encoder_setting_picks_the_backend() -> None:
    assert isinstance(load_encoder("cpu", "auto"), OnnxEncoder)
    assert not isinstance(load_encoder("cpu", "torch"), OnnxEncoder)
    with pytest.raises(ValueError, match="models.encoder"):
        load_encoder("cpu", "tensorflow")
    cached = Encoder(ModelSettings(encoder="onnx"))
    first = cached.encode(SENTENCES[:3])
    assert np.array_equal(cached.encode(SENTENCES[:3]), first)
    assert cached.encode([]).shape == (0, 384)


def test_an_export_is_checked_and_written_where_asked(tmp_path) -> None:
    path = export_onnx(tmp_path / "encoder" / "minilm.onnx")
    assert path.exists() and not list(path.parent.glob("*.part"))
    fresh = OnnxEncoder(path).encode(SENTENCES[:2])
    assert float(np.min(np.sum(fresh * load_encoder("cpu", "onnx").encode(SENTENCES[:2]), axis=1))) > 0.99999


def test_parsing_text_does_not_load_torch() -> None:
    code = (
        "import sys; from newsdesk.annotate import annotate_articles; from newsdesk.annotate.nlp import load_nlp; "
        "load_nlp()('One sentence.'); from newsdesk.embed import load_encoder; load_encoder('cpu', 'onnx'); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_install_of_one_model_version_shares_one_cached_export(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    paths = []
    for env in ("venv-a", "venv-b"):  # two clones, each with its own copy of the model package
        folder = tmp_path / env
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"w" * 64)
        monkeypatch.setattr(embed, "model_dir", lambda folder=folder: folder)
        paths.append(embed.onnx_path())
    assert paths[0] == paths[1]
    (tmp_path / "venv-b" / "model.safetensors").write_bytes(b"w" * 65)  # other weights, other export
    assert embed.onnx_path() != paths[0]


def test_a_damaged_cached_export_is_exported_again(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    path = embed.onnx_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an onnx graph")
    embed.load_encoder.cache_clear()
    try:
        model = embed.load_encoder("cpu", "onnx")
        assert isinstance(model, OnnxEncoder) and path.stat().st_size > 1_000_000
    finally:
        embed.load_encoder.cache_clear()


def test_auto_falls_back_to_torch_when_no_export_can_be_made(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))

    def broken(dest=None):
        raise RuntimeError("onnx is not installed")

    monkeypatch.setattr(embed, "export_onnx", broken)
    embed.load_encoder.cache_clear()
    try:
        model = embed.load_encoder("cpu", "auto")
        assert not isinstance(model, OnnxEncoder)
        assert "ONNX encoder unavailable (RuntimeError: onnx is not installed); using torch" in capsys.readouterr().err
        with pytest.raises(RuntimeError, match="onnx is not installed"):
            embed.load_encoder("cpu", "onnx")
    finally:
        embed.load_encoder.cache_clear()
