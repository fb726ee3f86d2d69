"""tf.train.Checkpoint / CheckpointManager: names as TF records them, round trips, safety of the files."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras

GOLD = json.loads((pathlib.Path(__file__).parents[1] / "goldens" / "tfcore" / "goldens.json").read_text())


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.random.normal([n_in, n_out]), name="w")
            self.b = tf.Variable(tf.zeros([n_out]), name="b")


def make_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])


def test_save_names_and_listed_variables_match_tf(tmp_path):
    g = GOLD["checkpoint"]
    ckpt = tf.train.Checkpoint(
        step=tf.Variable(7, name="step"),
        model=make_model(),
        module=Dense(2, 2, name="mod"),
    )
    prefix = str(tmp_path / "ckpt")
    assert os.path.relpath(ckpt.save(prefix), tmp_path) == g["save_1"]
    p2 = ckpt.save(prefix)
    assert os.path.relpath(p2, tmp_path) == g["save_2"]
    assert os.path.relpath(ckpt.write(str(tmp_path / "written")), tmp_path) == g["write"]
    assert os.path.relpath(tf.train.latest_checkpoint(str(tmp_path)), tmp_path) == g["latest"]
    listed = tf.train.list_variables(p2)
    non_keras = [[n, s] for n, s in g["list_variables"] if not n.startswith("model/")]
    assert [[n, s] for n, s in listed if not n.startswith("model/")] == non_keras
    # Keras 3 names its internals (model/_functional/_operations/1/_kernel); capas keeps tf.keras's
    # object path, with the same shapes in the same order (docs/checkpoints.md).
    tf_model = [s for n, s in g["list_variables"] if n.startswith("model/")]
    ours = dict((n, s) for n, s in listed if n.startswith("model/"))
    assert [
        ours[f"model/layer_with_weights-{i}/{w}/.ATTRIBUTES/VARIABLE_VALUE"] for i in (0, 1) for w in ("kernel", "bias")
    ] == [tf_model[0], tf_model[1], tf_model[2], tf_model[3]]
    assert int(tf.train.load_variable(p2, "step/.ATTRIBUTES/VARIABLE_VALUE")) == g["step_value"]
    assert int(tf.train.load_variable(p2, "save_counter/.ATTRIBUTES/VARIABLE_VALUE")) == g["save_counter"]
    reader = tf.train.load_checkpoint(p2)
    assert int(reader.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")) == g["reader_step"]
    assert reader.has_tensor("step/.ATTRIBUTES/VARIABLE_VALUE") is g["reader_has_step"]
    assert reader.get_variable_to_shape_map()["module/w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 2]


def test_manager_keeps_the_newest_like_tf(tmp_path):
    g = GOLD["manager"]
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=tf.Variable(1)), str(tmp_path), max_to_keep=2)
    assert [os.path.relpath(manager.save(), tmp_path) for _ in range(3)] == g["saved"]
    assert [os.path.relpath(c, tmp_path) for c in manager.checkpoints] == g["checkpoints"]
    assert os.path.relpath(manager.latest_checkpoint, tmp_path) == g["latest"]
    assert sorted(os.listdir(tmp_path)) == g["files"]
    assert tf.train.latest_checkpoint(str(tmp_path / "empty")) is g["latest_none"]
    again = tf.train.CheckpointManager(tf.train.Checkpoint(step=tf.Variable(0)), str(tmp_path), max_to_keep=2)
    assert again.checkpoints == manager.checkpoints
    assert again.restore_or_initialize() == manager.latest_checkpoint


def test_round_trip_into_a_fresh_object_graph(tmp_path):
    model, module = make_model(), Dense(2, 2)
    optimizer = keras.optimizers.Adam(0.1)
    x = np.ones((2, 3), "float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    path = tf.train.Checkpoint(model=model, optimizer=optimizer, module=module).save(str(tmp_path / "c"))

    model2, module2 = make_model(), Dense(2, 2)
    optimizer2 = keras.optimizers.Adam(0.1)
    optimizer2.build(model2.trainable_variables)  # slots must exist before restoring (docs/checkpoints.md)
    ckpt2 = tf.train.Checkpoint(model=model2, optimizer=optimizer2, module=module2)
    ckpt2.restore(path).assert_consumed()
    for a, b in zip(model.weights + list(module.variables), model2.weights + list(module2.variables)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert [v.numpy().tolist() for v in optimizer.variables] == [v.numpy().tolist() for v in optimizer2.variables]
    assert int(ckpt2.save_counter.numpy()) == 1
    torch.testing.assert_close(model(x), model2(x))


def test_partial_restore_status_and_shape_errors(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable([1.0, 2.0]), b=tf.Variable(3.0)).write(str(tmp_path / "w"))
    a = tf.Variable([0.0, 0.0])
    status = tf.train.Checkpoint(a=a).read(path)
    assert a.numpy().tolist() == [1.0, 2.0]
    with pytest.raises(AssertionError, match=r"b/\.ATTRIBUTES/VARIABLE_VALUE"):
        status.assert_consumed()
    status.expect_partial().assert_existing_objects_matched()
    a_bad, b = tf.Variable([0.0, 0.0, 0.0]), tf.Variable(0.0)
    with pytest.raises(ValueError, match=r"'a/\.ATTRIBUTES/VARIABLE_VALUE' has shape \(2,\).*\(3,\)"):
        tf.train.Checkpoint(a=a_bad, b=b).read(path)
    assert b.numpy() == 0.0  # nothing restored when one value does not fit
    assert tf.train.Checkpoint(a=a).restore(None).assert_consumed() is not None


class Counter:
    """An object with the checkpoint state protocol (as tf.data iterators implement it)."""

    def __init__(self):
        self.position, self.tag, self.buffer = 0, "start", np.zeros(3)

    def _checkpoint_state(self):
        return {"position": self.position, "tag": self.tag, "buffer": self.buffer}

    def _restore_checkpoint_state(self, state):
        self.position, self.tag, self.buffer = (
            state["position"],
            state["tag"],
            state["buffer"],
        )


def test_state_protocol_round_trip(tmp_path):
    c = Counter()
    c.position, c.tag, c.buffer = 5, "mid", np.arange(3.0)
    path = tf.train.Checkpoint(it=c).save(str(tmp_path / "s"))
    fresh = Counter()
    tf.train.Checkpoint(it=fresh).restore(path).assert_consumed()
    assert (fresh.position, fresh.tag, fresh.buffer.tolist()) == (
        5,
        "mid",
        [0.0, 1.0, 2.0],
    )
    assert isinstance(fresh.position, int) and isinstance(fresh.tag, str)


def test_missing_truncated_and_corrupted_files_raise_clear_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no file .*nothing-1.index"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "nothing-1"))
    path = tf.train.Checkpoint(v=tf.Variable(np.arange(100.0))).write(str(tmp_path / "t"))
    data = path + ".data-00000-of-00001"
    blob = open(data, "rb").read()
    with open(data, "r+b") as f:
        f.seek(10)
        f.write(b"\xff\xff\xff")
    with pytest.raises(tf.errors.DataLossError, match="corrupted.*CRC"):
        tf.train.Checkpoint(v=tf.Variable(np.zeros(100))).restore(path)
    with open(data, "wb") as f:
        f.write(blob[:50])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        tf.train.Checkpoint(v=tf.Variable(np.zeros(100))).restore(path)
    with open(path + ".index", "w") as f:
        f.write('{"format": "capas-checkpoint", "entr')
    with pytest.raises(tf.errors.DataLossError, match="index .* corrupted or truncated"):
        tf.train.list_variables(path)


KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import capas as tf
    from capas.train import _format

    folder = sys.argv[1]
    v = tf.Variable(np.ones(1000, "float32"))
    ckpt = tf.train.Checkpoint(v=v)
    ckpt.save(os.path.join(folder, "ckpt"))            # ckpt-1: complete
    v.assign(np.full(1000, 2.0, "float32"))
    real = _format._atomic_write

    class Dying:
        def __init__(self, f):
            self.f = f
        def write(self, data):
            self.f.write(data[: len(data) // 2])
            self.f.flush()
            os.kill(os.getpid(), signal.SIGKILL)   # killed in the middle of writing ckpt-2

    import contextlib
    @contextlib.contextmanager
    def dying_write(path, mode="wb"):
        with real(path, mode) as f:
            yield Dying(f)

    _format._atomic_write = dying_write
    ckpt.save(os.path.join(folder, "ckpt"))
    """
)


def test_kill_during_save_keeps_the_previous_checkpoint(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(tf.__file__).parents[1]))
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(tmp_path)], env=env, timeout=120)
    assert proc.returncode == -9
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert os.path.basename(latest) == "ckpt-1"
    assert not os.path.exists(str(tmp_path / "ckpt-2.index"))
    v = tf.Variable(np.zeros(1000, "float32"))
    tf.train.Checkpoint(v=v).restore(latest).assert_consumed()
    assert float(v.numpy().sum()) == 1000.0


def test_optimizer_slots_are_restored_when_the_optimizer_builds(tmp_path):
    model = make_model()
    optimizer = keras.optimizers.Adam(0.1)
    x = np.ones((2, 3), "float32")

    def step(m, opt):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(m(x) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, m.trainable_variables), m.trainable_variables))

    step(model, optimizer)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(str(tmp_path / "c"))
    fresh = tf.train.Checkpoint(optimizer=keras.optimizers.Adam(0.1)).write(str(tmp_path / "unbuilt"))
    assert "optimizer/_variables/0/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(fresh))
    # a fresh optimizer has no slots yet: TF (and capas) restore them when it builds
    model2, optimizer2 = make_model(), keras.optimizers.Adam(0.1)
    tf.train.Checkpoint(model=model2, optimizer=optimizer2).restore(path).assert_consumed()
    step(model, optimizer)
    step(model2, optimizer2)
    for a, b in zip(model.weights, model2.weights):
        torch.testing.assert_close(a, b)
    assert [v.numpy().tolist() for v in optimizer.variables] == [v.numpy().tolist() for v in optimizer2.variables]
