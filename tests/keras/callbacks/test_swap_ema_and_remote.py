"""SwapEMAWeights (EMA weights during evaluation) and RemoteMonitor (posts to a local server)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

import numpy as np
import pytest
import torch

from tests.keras.callbacks.conftest import make_model


def copies(tensors):
    return [t.detach().clone().numpy() for t in tensors]


def test_swap_ema_weights_during_validation(ck, data):
    x, y = data
    model = make_model(ck, optimizer=ck.optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.9))
    record = {"averages": [], "in_test": [], "after_test": [], "train_end": []}

    class Before(ck.callbacks.Callback):  # runs before SwapEMAWeights at each hook
        def on_train_batch_end(self, batch, logs=None):
            record["last_train"] = copies(self.model.trainable_weights)

        def on_test_begin(self, logs=None):
            record["averages"].append(copies(self.model.optimizer._model_variables_moving_average))
            record["train_end"].append(record["last_train"])

    class After(ck.callbacks.Callback):
        def on_test_batch_begin(self, batch, logs=None):
            record["in_test"].append(copies(self.model.trainable_weights))

        def on_test_end(self, logs=None):
            record["after_test"].append(copies(self.model.trainable_weights))

    model.fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        validation_data=(x, y),
        verbose=0,
        callbacks=[Before(), ck.callbacks.SwapEMAWeights(), After()],
    )
    assert len(record["in_test"]) == 2 * 5 and len(record["averages"]) == 2
    for epoch in range(2):
        for in_test in record["in_test"][epoch * 5 : (epoch + 1) * 5]:
            for a, b in zip(in_test, record["averages"][epoch]):
                np.testing.assert_array_equal(a, b)
        for a, b in zip(record["after_test"][epoch], record["train_end"][epoch]):
            np.testing.assert_array_equal(a, b)
    assert not np.array_equal(record["averages"][-1][0], record["train_end"][-1][0])


def test_swap_ema_weights_around_predict(ck, data):
    """Predictions use the averages; the training weights come back afterwards (Keras 3.15 forgets to)."""
    x, y = data
    model = make_model(ck, optimizer=ck.optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.9))
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    with torch.no_grad():
        model.optimizer._model_variables_moving_average[0].mul_(0.5)  # make the two sets differ
    averages = copies(model.optimizer._model_variables_moving_average)
    weights = copies(model.trainable_weights)
    swapped = model.predict(x, verbose=0, callbacks=[ck.callbacks.SwapEMAWeights()])
    for a, b in zip(copies(model.trainable_weights), weights):
        np.testing.assert_array_equal(a, b)
    plain = model.predict(x, verbose=0)
    model.set_weights(averages)
    with_averages = model.predict(x, verbose=0)
    np.testing.assert_array_equal(swapped, with_averages)
    assert not np.allclose(plain, with_averages)


def test_swap_ema_weights_needs_use_ema(ck, data):
    x, y = data
    model = make_model(ck, optimizer="sgd")
    with pytest.raises(ValueError, match=r"use_ema=True.*Received the optimizer SGD with use_ema=False"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[ck.callbacks.SwapEMAWeights()])


def test_remote_monitor_posts_epoch_logs(ck, data):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body.decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_port}"
        x, y = data
        history = make_model(ck).fit(
            x,
            y,
            epochs=2,
            verbose=0,
            callbacks=[
                ck.callbacks.RemoteMonitor(root=root),
                ck.callbacks.RemoteMonitor(root=root, path="/j", send_as_json=True),
            ],
        )
    finally:
        server.shutdown()
        server.server_close()
    form = [json.loads(urllib.parse.parse_qs(body)["data"][0]) for path, _, body in received if path != "/j"]
    as_json = [json.loads(body) for path, kind, body in received if path == "/j" and kind == "application/json"]
    expected = [
        {"epoch": e, "accuracy": history.history["accuracy"][e], "loss": history.history["loss"][e]} for e in range(2)
    ]
    assert form == expected and as_json == expected


def test_remote_monitor_warns_when_unreachable(ck):
    monitor = ck.callbacks.RemoteMonitor(root="http://127.0.0.1:9", timeout=1)
    with pytest.warns(UserWarning, match="could not reach the root server at http://127.0.0.1:9"):
        monitor.on_epoch_end(0, {"loss": 1.0})
