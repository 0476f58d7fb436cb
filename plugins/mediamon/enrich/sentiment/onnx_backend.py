"""Optional backend: a fine-tuned transformer classifier exported to ONNX, run with onnxruntime
and the Hugging Face ``tokenizers`` library (no torch, no network).

Model directory layout (what ``optimum-cli export onnx --task text-classification`` or
``torch.onnx.export`` plus ``tokenizer.save("tokenizer.json")`` produce)::

    <dir>/model.onnx       inputs: input_ids [batch, seq] int64, attention_mask [batch, seq] int64,
                           optionally token_type_ids; first output: logits [batch, n_labels]
    <dir>/tokenizer.json   a ``tokenizers`` Tokenizer
    <dir>/config.json      {"id2label": {"0": "negative", "1": "neutral", "2": "positive"}, ...}
                           optional: "max_length" (default 256, capped by
                           "max_position_embeddings"), "pad_token_id", "mediamon_version"

Labels are mapped by name (anything containing 'neg', 'neu', 'pos', case-insensitive).
Sentence score = P(positive) - P(negative) from the softmax of the logits, in [-1, 1].
Sentences are sorted by length and run in batches of ``batch_size`` to limit padding.
Nothing is downloaded: the directory is configured by the user (``Settings.onnx_model_dir``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .base import SentimentBackend

REQUIRED = ("model.onnx", "tokenizer.json", "config.json")


def resolve_model_dir(base: str | Path, language: str | None = None) -> Path:
    """``<base>/<language>/`` if it holds a model, else ``<base>/``.

    Raises FileNotFoundError naming the missing files when neither holds all of
    model.onnx, tokenizer.json and config.json.
    """
    base = Path(base).expanduser()
    cands = ([base / language] if language else []) + [base]
    for d in cands:
        if all((d / f).is_file() for f in REQUIRED):
            return d
    missing = [str(base / f) for f in REQUIRED if not (base / f).is_file()]
    raise FileNotFoundError(f"ONNX sentiment model not found in {base}"
                            + (f" or {base / language}" if language else "") + f": missing {', '.join(missing)}")


def _label_index(id2label: dict, path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in id2label.items():
        name = str(v).lower()
        for canon, key in (("negative", "neg"), ("neutral", "neu"), ("positive", "pos")):
            if key in name:
                out[canon] = int(k)
    if "positive" not in out or "negative" not in out:
        raise ValueError(f"{path}: id2label must name positive and negative classes (got {id2label!r})")
    return out


class OnnxBackend(SentimentBackend):
    """Transformer sentence classifier in ONNX (``name='onnx'``)."""

    name = "onnx"
    languages = ()

    def __init__(self, model_dir: str | Path, batch_size: int = 32, max_length: int | None = None,
                 intra_op_threads: int = 1):
        try:
            import numpy as np
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise RuntimeError("the 'onnx' sentiment backend needs onnxruntime, tokenizers and numpy "
                               "(pip install 'mediamon[onnx]')") from e
        self._np = np
        d = resolve_model_dir(model_dir)
        self.model_dir = d
        cfg_path = d / "config.json"
        try:
            cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ValueError(f"{cfg_path}: invalid JSON: {e}") from None
        self.labels = _label_index(cfg.get("id2label") or {}, cfg_path)
        self.n_labels = len(cfg["id2label"])
        ml = max_length or int(cfg.get("max_length", 256))
        if cfg.get("max_position_embeddings"):
            ml = min(ml, int(cfg["max_position_embeddings"]))
        self.max_length = ml
        self.batch_size = max(1, int(batch_size))
        self.tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.pad_id = int(cfg.get("pad_token_id", self.tokenizer.token_to_id("[PAD]") or
                                  self.tokenizer.token_to_id("<pad>") or 0))
        so = ort.SessionOptions()
        so.intra_op_num_threads = intra_op_threads
        so.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(d / "model.onnx"), so, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        if "input_ids" not in self.input_names:
            raise ValueError(f"{d / 'model.onnx'}: expected an 'input_ids' input, got {self.input_names}")
        h = hashlib.sha256()
        with open(d / "model.onnx", "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        self.version = str(cfg.get("mediamon_version") or cfg.get("_name_or_path") or "onnx") + "@" + h.hexdigest()[:12]

    def _run_batch(self, texts: list[str]):
        np = self._np
        encs = self.tokenizer.encode_batch(texts)
        width = max(1, max(len(e.ids) for e in encs))
        ids = np.full((len(encs), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for r, e in enumerate(encs):
            ids[r, : len(e.ids)] = e.ids
            mask[r, : len(e.ids)] = 1
        feed = {"input_ids": ids}
        if "attention_mask" in self.input_names:
            feed["attention_mask"] = mask
        if "token_type_ids" in self.input_names:
            feed["token_type_ids"] = np.zeros_like(ids)
        logits = np.asarray(self.session.run(None, feed)[0], dtype=np.float64)
        if logits.ndim != 2 or logits.shape[1] != self.n_labels:
            raise ValueError(f"{self.model_dir / 'model.onnx'}: expected logits [batch, {self.n_labels}], got {logits.shape}")
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p[:, self.labels["positive"]] - p[:, self.labels["negative"]]

    def score_sentences(self, sentences: list[str]) -> list[float]:
        """P(positive) - P(negative) per sentence, in [-1, 1]; batched, order preserved."""
        for s in sentences:
            if not isinstance(s, str):
                raise TypeError(f"score_sentences: expected str, got {type(s).__name__}")
        out = [0.0] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for k in range(0, len(order), self.batch_size):
            idx = order[k:k + self.batch_size]
            scores = self._run_batch([sentences[i] for i in idx])
            for i, v in zip(idx, scores):
                out[i] = float(max(-1.0, min(1.0, v)))
        return out
