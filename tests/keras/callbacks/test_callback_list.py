"""CallbackList: hook order (golden, and against keras), log layout and lazy batch logs."""

import numpy as np
import pytest
import torch

from capas.keras.callbacks import _logs
from capas.keras.callbacks._logs import LazyLogs
from tests.keras.callbacks.conftest import make_data
from tests.keras.callbacks.conftest import make_model

HOOKS = [
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
]


def recorder_class(base):
    """A callback class (on `base`) that records every hook call and then runs the base hook."""

    def make(hook):
        def method(self, *args, **kwargs):
            index = args[0] if args and isinstance(args[0], int) else None
            self.calls.append(hook if index is None else f"{hook}({index})")
            return getattr(base, hook)(self, *args, **kwargs)

        return method

    namespace = {hook: make(hook) for hook in HOOKS}

    def __init__(self):
        base.__init__(self)
        self.calls = []

    namespace["__init__"] = __init__
    return type("Recorder", (base,), namespace)


GOLDEN_FIT = (
    ["on_train_begin"]
    + [
        call
        for epoch in range(2)
        for call in (
            [f"on_epoch_begin({epoch})"]
            + [
                c
                for step in range(3)
                for c in (
                    f"on_train_batch_begin({step})",
                    f"on_batch_begin({step})",
                    f"on_train_batch_end({step})",
                    f"on_batch_end({step})",
                )
            ]
            + ["on_test_begin"]
            + [c for step in range(2) for c in (f"on_test_batch_begin({step})", f"on_test_batch_end({step})")]
            + ["on_test_end", f"on_epoch_end({epoch})"]
        )
    ]
    + ["on_train_end"]
)
GOLDEN_EVALUATE = (
    ["on_test_begin"]
    + [c for step in range(3) for c in (f"on_test_batch_begin({step})", f"on_test_batch_end({step})")]
    + ["on_test_end"]
)
GOLDEN_PREDICT = (
    ["on_predict_begin"]
    + [c for step in range(3) for c in (f"on_predict_batch_begin({step})", f"on_predict_batch_end({step})")]
    + ["on_predict_end"]
)


def run_all(module, recorder):
    x, y = make_data(40)
    model = make_model(module)
    model.fit(x, y, batch_size=16, epochs=2, validation_data=(x[:20], y[:20]), callbacks=[recorder], verbose=0)
    fit_calls, recorder.calls = recorder.calls, []
    model.evaluate(x, y, batch_size=16, callbacks=[recorder], verbose=0)
    eval_calls, recorder.calls = recorder.calls, []
    model.predict(x, batch_size=16, callbacks=[recorder], verbose=0)
    return fit_calls, eval_calls, recorder.calls


def test_hook_order_is_golden(ck):
    fit_calls, eval_calls, predict_calls = run_all(ck, recorder_class(ck.callbacks.Callback)())
    assert fit_calls == GOLDEN_FIT
    assert eval_calls == GOLDEN_EVALUATE
    assert predict_calls == GOLDEN_PREDICT


def test_hook_order_matches_keras(ck):
    keras = pytest.importorskip("keras")
    ours = run_all(ck, recorder_class(ck.callbacks.Callback)())
    theirs = run_all(keras, recorder_class(keras.callbacks.Callback)())
    assert ours == theirs


def test_logs_match_keras_layout(ck):
    """Keys sorted, floats at epoch level, val_* after validation, as keras gives them."""
    keras = pytest.importorskip("keras")

    def collect(module):
        seen = {}

        class Spy(module.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                seen.setdefault("batch", list(logs.keys()))

            def on_epoch_end(self, epoch, logs=None):
                seen["epoch"] = list(logs.keys())
                seen["types"] = {type(v) for v in logs.values()}

            def on_test_end(self, logs=None):
                seen["test"] = list(logs.keys())

        x, y = make_data(40)
        model = make_model(module, metrics=("sparse_categorical_crossentropy", "accuracy"))
        model.fit(x, y, batch_size=16, epochs=1, validation_data=(x, y), callbacks=[Spy()], verbose=0)
        return seen

    ours, theirs = collect(ck), collect(keras)
    assert ours["batch"] == theirs["batch"]
    assert ours["epoch"] == theirs["epoch"]
    assert ours["test"] == theirs["test"]
    assert ours["types"] == {float}


def test_a_callback_that_ignores_batch_logs_costs_no_conversion(ck, data):
    x, y = data
    model = make_model(ck)
    before = _logs._Counter.conversions

    class Quiet(ck.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            assert "loss" in logs and len(logs) == 2  # keys are free

    model.fit(x, y, batch_size=8, epochs=2, callbacks=[Quiet()], verbose=0)
    assert _logs._Counter.conversions == before


def test_reading_batch_logs_converts_once_per_value(ck, data):
    x, y = data
    model = make_model(ck)
    seen = []

    class Reader(ck.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((logs["loss"], logs["loss"], logs.get("accuracy")))

    before = _logs._Counter.conversions
    model.fit(x, y, batch_size=8, epochs=1, callbacks=[Reader(), Reader()], verbose=0)
    # 5 batches, 2 keys, two readers sharing one LazyLogs: each value converted once.
    assert _logs._Counter.conversions - before == 5 * 2
    assert all(isinstance(a, float) and a == b for a, b, _ in seen)
    assert seen[-1][0] == pytest.approx(model.history.history["loss"][0], rel=1e-6)


@pytest.mark.parametrize("reader", ["getitem", "get", "items", "values", "dict", "unpack", "copy", "pop", "repr"])
def test_lazy_logs_every_read_converts(reader):
    logs = LazyLogs({"loss": torch.tensor(0.5), "acc": torch.tensor([0.25])})
    read = {
        "getitem": lambda d: [d["acc"], d["loss"]],
        "get": lambda d: [d.get("acc"), d.get("loss")],
        "items": lambda d: [v for _, v in d.items()],
        "values": lambda d: list(d.values()),
        "dict": lambda d: list(dict(d).values()),
        "unpack": lambda d: list({**d}.values()),
        "copy": lambda d: list(d.copy().values()),
        "pop": lambda d: [d.pop("acc"), d.pop("loss")],
        "repr": lambda d: [eval(repr(d))[k] for k in ("acc", "loss")],  # noqa: S307 - our own repr
    }[reader](logs)
    assert read == [0.25, 0.5]
    assert all(type(v) is float for v in read)


def test_lazy_logs_keys_flattened_sorted_and_free():
    before = _logs._Counter.conversions
    logs = LazyLogs({"z": torch.tensor(1.0), "a": {"b": torch.tensor(2.0)}, "outputs": torch.ones(2, 3)})
    assert list(logs.keys()) == ["b", "outputs", "z"]
    assert "z" in logs and len(logs) == 3
    assert _logs._Counter.conversions == before
    assert isinstance(logs["outputs"], np.ndarray) and logs["outputs"].shape == (2, 3)
    assert logs.get("missing", 7) == 7


def test_history_is_returned_and_set_on_model(ck, data):
    x, y = data
    model = make_model(ck)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert model.history is history
    assert history.epoch == [0, 1, 2]
    assert sorted(history.history) == ["accuracy", "loss"]
    assert all(len(v) == 3 for v in history.history.values())
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 5}


def test_callback_list_rejects_a_class(ck):
    with pytest.raises(TypeError, match=r"received the class EarlyStopping.*EarlyStopping\(\)"):
        ck.callbacks.CallbackList([ck.callbacks.EarlyStopping])
    with pytest.raises(TypeError, match="LambdaCallback"):
        ck.callbacks.CallbackList([lambda epoch, logs: None])


def test_callback_list_append_and_nested(ck):
    history = ck.callbacks.History()
    lst = ck.callbacks.CallbackList([[history]], add_history=True, add_progbar=True, verbose=1, epochs=1, steps=2)
    assert lst.callbacks[0] is history and len(lst.callbacks) == 2
    extra = ck.callbacks.Callback()
    lst.append(extra)
    assert extra.params == {"verbose": 1, "epochs": 1, "steps": 2}


def test_stop_training_from_a_batch_hook(ck, data):
    x, y = data
    model = make_model(ck)
    batches = []

    class StopAt(ck.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)
            if batch == 1:
                self.model.stop_training = True

    history = model.fit(x, y, epochs=5, batch_size=8, callbacks=[StopAt()], verbose=0)
    assert batches == [0, 1]
    assert history.epoch == [0]


def test_callbacks_added_to_the_list_in_place_are_called(ck):
    lst = ck.callbacks.CallbackList([], verbose=0, epochs=1, steps=2)
    lst.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
    seen = []
    lst.callbacks.append(ck.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(logs["loss"])))
    lst.on_train_batch_end(1, {"loss": torch.tensor(2.0)})
    assert seen == [2.0]
