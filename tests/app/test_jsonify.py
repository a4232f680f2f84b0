"""JSON at the API boundary: NaN and infinity become null, history entries are encoded once."""
from __future__ import annotations

import json

import numpy as np

from app.jsonify import HistoryEncoder, dumps, to_json, with_raw_field


def test_non_finite_numbers_become_null():
    value = {"a": np.array([[1.0, np.nan], [np.inf, -np.inf]]), "b": np.float64("nan"), "c": np.int64(3),
             "d": (np.bool_(True), 2.5), "e": float("inf")}
    assert json.loads(dumps(value)) == {"a": [[1.0, None], [None, None]], "b": None, "c": 3, "d": [True, 2.5],
                                        "e": None}
    assert to_json(np.array([1, 2], dtype=np.int64)) == [1, 2]


def test_with_raw_field_splices_valid_json():
    assert json.loads(with_raw_field({"a": 1}, "h", b"[1,2]")) == {"a": 1, "h": [1, 2]}
    assert json.loads(with_raw_field({}, "h", b"[]")) == {"h": []}


def test_history_encoder_matches_plain_encoding_through_growth_thinning_and_reset(monkeypatch):
    from engine import history as history_module
    from engine.history import History

    monkeypatch.setattr(history_module, "LIMIT", 12)
    encoder = HistoryEncoder()
    entries = [{"step": s, "train_loss": 1.0 / (s + 1), "grad_norms": [s * 0.5]} for s in range(10)]
    history = History(entries)
    assert json.loads(encoder.encode(history)) == entries
    history.append({"step": 10, "train_loss": float("nan"), "grad_norms": [1.0]})
    assert json.loads(encoder.encode(history, last=2)) == [entries[-1], {**history[-1], "train_loss": None}]
    assert encoder.encode(history, last=0) == b"[]"
    for step in (11, 12):  # past the limit: thinned
        history.append({"step": step, "train_loss": 0.5, "grad_norms": [1.0]})
    assert [e["step"] for e in json.loads(encoder.encode(history))] == [0, 2, 4, 6, 8, 10, 12]
    after_reset = History([{"step": 0, "train_loss": 9.0, "grad_norms": [0.0]}])  # same step, new numbers
    assert json.loads(encoder.encode(after_reset)) == list(after_reset)
