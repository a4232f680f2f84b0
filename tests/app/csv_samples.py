"""A small CSV with three named classes, and helpers to upload it and build a network from it."""
from __future__ import annotations

CSV = {"content-type": "text/csv"}
IRIS_LIKE = "length,width,species\n" + "".join(
    f"{0.3 * i - 4:.2f},{(i * 7) % 11 * 0.5 - 2.5:.2f},{('setosa', 'versicolor', 'virginica')[i % 3]}\n"
    for i in range(60))


def upload(client, text, **params):
    body = text.encode() if isinstance(text, str) else text
    return client.post("/api/datasets/csv", content=body, headers=CSV, params=params)


def from_csv(client, text, **config):
    parsed = upload(client, text).json()
    created = client.post("/api/networks", json={**parsed["network"], "learning_rate": 0.1, **config,
                                                 "data": parsed["data"]})
    assert created.status_code == 201, created.text
    return parsed, created.json()
