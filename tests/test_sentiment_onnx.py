"""ONNX backend: a tiny classifier graph and WordLevel tokenizer are built at test time
(``onnx`` helper API + ``tokenizers``), so loading, batching and inference run offline."""

from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")
tokenizers = pytest.importorskip("tokenizers")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from mediamon.enrich import sentiment  # noqa: E402
from mediamon.enrich.sentiment.onnx_backend import OnnxBackend, resolve_model_dir  # noqa: E402

VOCAB = ["[PAD]", "[UNK]", "good", "great", "bad", "awful", "the", "food", "was", "news", "bagus", "buruk"]
# per-token logit contributions (negative, neutral, positive)
EMB = {"good": (0, 0, 2), "great": (0, 0, 3), "bagus": (0, 0, 2), "bad": (2, 0, 0), "awful": (3, 0, 0),
       "buruk": (2, 0, 0), "news": (0, 2, 0), "the": (0, 0.1, 0), "food": (0, 0.1, 0), "was": (0, 0.1, 0)}


def build_model(d, labels=("negative", "neutral", "positive"), with_token_types=False, max_length=None):
    """A bag-of-embeddings classifier: logits = sum_t mask_t * E[input_ids_t]. Padding is only
    neutral if the attention mask is honoured: [PAD] has a large positive embedding on purpose."""
    d.mkdir(parents=True, exist_ok=True)
    emb = np.zeros((len(VOCAB), 3), dtype=np.float32)
    for w, v in EMB.items():
        emb[VOCAB.index(w)] = v
    emb[0] = (0, 0, 50)  # [PAD]: would dominate if the mask were ignored
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
              helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])]
    nodes = [
        helper.make_node("Gather", ["emb", "input_ids"], ["h"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "ax2"], ["mask3"]),
        helper.make_node("Mul", ["h", "mask3"], ["hm"]),
        helper.make_node("ReduceSum", ["hm", "ax1"], ["logits"], keepdims=0),
    ]
    if with_token_types:
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "seq"]))
        nodes[-1] = helper.make_node("ReduceSum", ["hm", "ax1"], ["logits0"], keepdims=0)
        nodes += [helper.make_node("Cast", ["token_type_ids"], ["ttf"], to=TensorProto.FLOAT),
                  helper.make_node("ReduceSum", ["ttf", "ax1"], ["tts"], keepdims=1),
                  helper.make_node("Add", ["logits0", "tts"], ["logits"])]
    graph = helper.make_graph(
        nodes, "tiny_sentiment", inputs,
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
        initializer=[numpy_helper.from_array(emb, "emb"),
                     numpy_helper.from_array(np.array([1], dtype=np.int64), "ax1"),
                     numpy_helper.from_array(np.array([2], dtype=np.int64), "ax2")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(d / "model.onnx"))

    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(d / "tokenizer.json"))
    cfg = {"id2label": {str(i): lab for i, lab in enumerate(labels)}, "pad_token_id": 0,
           "mediamon_version": "tiny-test-1"}
    if max_length:
        cfg["max_length"] = max_length
    (d / "config.json").write_text(json.dumps(cfg))
    return d


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return build_model(tmp_path_factory.mktemp("onnx") / "m")


def test_scores_signs_and_range(model_dir):
    b = OnnxBackend(model_dir)
    good, bad, neutral, unknown = b.score_sentences(["The food was great", "awful food", "news", "zzz qqq"])
    assert good > 0.8 and bad < -0.8
    assert abs(neutral) < 0.15 and unknown == pytest.approx(0.0, abs=1e-6)  # uniform softmax
    assert b.name == "onnx" and b.version.startswith("tiny-test-1@")
    # exact value: logits (0, 0.3, 3) for 'the food was great'
    p = np.exp([0, 0.3, 3.0]) / np.exp([0, 0.3, 3.0]).sum()
    assert good == pytest.approx(p[2] - p[0], rel=1e-5)


def test_batching_padding_and_order(model_dir):
    b = OnnxBackend(model_dir, batch_size=3)
    sents = ["bad", "good " * 10, "the food was bad bad", "news", "great", "awful awful awful the food"] * 3
    batched = b.score_sentences(sents)
    single = [b.score_sentences([s])[0] for s in sents]
    assert batched == pytest.approx(single, abs=1e-6)  # mask honoured: padding changes nothing
    assert [x > 0 for x in batched[:6]] == [False, True, False, False, True, False]
    assert b.score_sentences([]) == []
    with pytest.raises(TypeError):
        b.score_sentences([None])  # type: ignore[list-item]


def test_truncation_and_token_type_ids(tmp_path):
    d = build_model(tmp_path / "tt", with_token_types=True, max_length=2)
    b = OnnxBackend(d)
    assert "token_type_ids" in b.input_names and b.max_length == 2
    # only the first two tokens are seen: 'good good' -> positive despite the trailing 'awful's
    assert b.score_sentences(["good good awful awful awful"])[0] > 0.5


def test_label_order_from_config(tmp_path):
    d = build_model(tmp_path / "rev", labels=("POSITIVE", "NEUTRAL", "NEGATIVE"))
    # embedding columns are (neg, neu, pos) but config says column 0 is positive: signs flip
    assert OnnxBackend(d).score_sentences(["great"])[0] < -0.8


def test_errors(tmp_path, model_dir):
    with pytest.raises(FileNotFoundError, match="model.onnx"):
        resolve_model_dir(tmp_path / "nowhere", "id")
    bad = build_model(tmp_path / "badcfg", labels=("a", "b", "c"))
    with pytest.raises(ValueError, match="id2label"):
        OnnxBackend(bad)
    (tmp_path / "badjson").mkdir()
    for f in ("model.onnx", "tokenizer.json"):
        (tmp_path / "badjson" / f).write_bytes((model_dir / f).read_bytes())
    (tmp_path / "badjson" / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="invalid JSON"):
        OnnxBackend(tmp_path / "badjson")


def test_configured_per_language_through_public_api(tmp_path, model_dir):
    base = tmp_path / "models"
    build_model(base / "en")
    try:
        sentiment.configure({"en": "onnx"}, base)
        assert resolve_model_dir(base, "en") == base / "en"
        assert "onnx" in sentiment.available_backends("en")
        r = sentiment.score_text("The food was great. Good food!", "en")
        assert r.method == "onnx" and r.label == "positive" and r.n_sentences == 2
        assert r.version.startswith("tiny-test-1@")
        t = sentiment.score_topic("The food was awful. The news was good.", "en", ["food"])
        assert t is not None and t.n_sentences == 1 and t.score < 0
        assert sentiment.get_backend("id").name == "lexicon-id"  # other languages keep their default
        with pytest.raises(FileNotFoundError):
            sentiment.get_backend("id", "onnx")  # no <base>/id and no <base>/model.onnx
    finally:
        sentiment.configure()


def test_cli_with_onnx_backend(model_dir):
    import io

    from mediamon.enrich.sentiment.cli import main

    out = io.StringIO()
    try:
        rc = main(["--lang", "en", "--backend", "onnx", "--onnx-model-dir", str(model_dir)],
                  stdin=io.StringIO("great food\nawful\n"), stdout=out)
    finally:
        sentiment.configure()
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert rc == 0 and [r["label"] for r in rows] == ["positive", "negative"]
    assert all(r["method"] == "onnx" for r in rows)
