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


def test_history_encoder_matches_plain_encoding_through_growth_thinning_and_reset():
    encoder = HistoryEncoder()
    history = [{"step": s, "train_loss": 1.0 / (s + 1), "grad_norms": [s * 0.5]} for s in range(10)]
    assert json.loads(encoder.encode(history)) == history
    history.append({"step": 10, "train_loss": float("nan"), "grad_norms": [1.0]})
    assert json.loads(encoder.encode(history, last=2)) == [history[-2], {**history[-1], "train_loss": None}]
    assert encoder.encode(history, last=0) == b"[]"
    thinned = history[:1] + history[2::2]
    assert json.loads(encoder.encode(thinned))[1]["step"] == 2
    after_reset = [{"step": 0, "train_loss": 9.0, "grad_norms": [0.0]}]  # same step, new numbers
    assert json.loads(encoder.encode(after_reset)) == after_reset
