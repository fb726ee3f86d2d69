"""FSDPStrategy (FSDP2's fully_shard) in real processes: torchrun, 2 ranks, gloo on the CPU.

The script runs once in one process (one replica, nothing sharded) and once
under torchrun; the two-rank run must train the same weights on the same
global batches, keep about half of the parameters and optimizer slots per
rank while training, and write one `.keras` file (rank 0, gathered weights)
that one-process capas and the keras package open.
"""

import json
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from tests.distribute._launch import one_process, torchrun

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).with_name("_fsdp_script.py")


def _results(folder, rank):
    with open(folder / f"results_rank{rank}.json") as f:
        return json.load(f)


def _weights(folder, rank):
    data = np.load(folder / f"weights_rank{rank}.npz")
    return [data[f"arr_{i}"] for i in range(len(data.files))]


def _run(tmp_path, mode, single=True):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    if single:
        one_process(SCRIPT, one, mode)
    torchrun(SCRIPT, two, mode)
    return one, two


def _check_sharded_storage(storage, slots_per_weight):
    for rank_storage in storage:
        for entry in rank_storage:
            # each rank stores its rows of every variable: about half of the model (uneven rows round up)
            assert entry["stored"] <= entry["full"] // 2 + 40, entry
            assert entry["freed"] == 6  # the full variables have no storage between steps
            assert entry["slots"] == slots_per_weight * entry["stored"]  # optimizer state: the shards' size
    assert sum(storage[r][0]["stored"] for r in range(2)) == storage[0][0]["full"]


def _check_same_training(one, two, keras3=False):
    reference = _results(one, 0)
    assert reference["replicas"] == 1
    for r in range(2):
        ranks = _results(two, r)
        assert ranks["replicas"] == 2
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        for key, values in reference["history"].items():
            np.testing.assert_allclose(ranks["history"][key], values, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ranks["evaluate"], reference["evaluate"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ranks["predict"], reference["predict"], rtol=1e-5, atol=1e-5)
        # load_weights into a sharded model, then a step from its shards: as in one process
        np.testing.assert_allclose(ranks["other_predict"], reference["other_predict"], rtol=1e-5, atol=1e-5)
    if not keras3:
        _check_sharded_storage([_results(two, r)["storage"] for r in range(2)], slots_per_weight=2)  # Adam: m, v


def test_fsdp_fit_equals_one_process_and_shards_weights_and_optimizer_state(tmp_path):
    one, two = _run(tmp_path, "fit")
    _check_same_training(one, two)
    # one file per checkpoint (rank 0 wrote it), with the full weights and optimizer slots
    assert sorted(p.name for p in two.iterdir() if not p.name.endswith((".json", ".npz"))) == [
        "ckpt.keras",
        "final.keras",
        "final.weights.h5",
    ]
    ours, reference = _h5_arrays(two / "final.keras"), _h5_arrays(one / "final.keras")
    assert ours["layers/dense/vars/0"].shape == (8, 33)
    assert ours["optimizer/vars/2"].shape == (8, 33)  # Adam's first slot, gathered from the shards
    assert sorted(ours) == sorted(reference)
    for name, value in reference.items():  # weights and optimizer state: those of one process
        np.testing.assert_allclose(ours[name], value, rtol=1e-5, atol=1e-6, err_msg=name)
    weights = _weights(two, 0)

    from capas import keras as capas_keras

    loaded = capas_keras.saving.load_model(two / "final.keras")  # one process opens it
    for a, b in zip(loaded.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    assert int(loaded.optimizer.iterations) == 3 * 6  # 3 epochs of 6 batches
    x_val = np.random.default_rng(0).normal(size=(96, 8)).astype("float32")  # (any input)
    np.testing.assert_allclose(loaded.predict(x_val, verbose=0), _predict_numpy(weights, x_val), rtol=1e-5, atol=1e-5)

    import keras  # the keras package (3.x, torch backend) opens it too

    theirs = keras.saving.load_model(two / "final.keras")
    for a, b in zip(theirs.get_weights(), weights):
        np.testing.assert_array_equal(np.asarray(a), b)
    np.testing.assert_allclose(
        np.asarray(theirs.predict(x_val, verbose=0)), _predict_numpy(weights, x_val), rtol=1e-5, atol=1e-5
    )


def _h5_arrays(path):
    out = {}
    with zipfile.ZipFile(path) as archive, archive.open("model.weights.h5") as f, h5py.File(f) as h5:
        h5.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def _predict_numpy(w, x):
    hidden = np.maximum(x @ w[0] + w[1], 0)
    hidden = np.tanh(hidden @ w[2] + w[3])
    return hidden @ w[4] + w[5]


def test_fsdp_custom_loop_with_run_and_reduce_equals_one_process(tmp_path):
    one, two = _run(tmp_path, "loop")
    reference = _results(one, 0)
    for r in range(2):
        ranks = _results(two, r)
        np.testing.assert_allclose(ranks["losses"], reference["losses"], rtol=1e-5)
        np.testing.assert_allclose(ranks["predict"], reference["predict"], rtol=1e-5, atol=1e-5)
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    _check_sharded_storage([_results(two, r)["storage"] for r in range(2)], slots_per_weight=1)  # SGD momentum


def test_keras3_model_parallel_spelling_trains_as_fsdp(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    one_process(SCRIPT, one, "fit")  # the reference: the same training in one process
    torchrun(SCRIPT, two, "keras3")
    _check_same_training(one, two, keras3=True)
    for r in range(2):
        ranks = _results(two, r)
        # the LayoutMap's layouts, honoured: rows, columns, rows; the biases it does not match stay replicated
        assert ranks["placements"] == {
            "dense_a/kernel": "(Shard(dim=0),)",
            "dense_b/kernel": "(Shard(dim=1),)",
            "dense_out/kernel": "(Shard(dim=0),)",
        }, ranks["placements"]
        for entry in ranks["storage"]:
            # kernels: half of 8x33, 33x16 and 16x3; biases (33 + 16 + 3) in full; Adam's slots likewise
            assert entry == {"stored": 132 + 264 + 24 + 52, "full": 892, "freed": 3, "slots": 2 * 472}, entry


def test_fsdp_with_a_scalar_variable_and_backup_and_restore_equals_one_process(tmp_path):
    one, two = _run(tmp_path, "extras")
    reference = _results(one, 0)
    for r in range(2):
        ranks = _results(two, r)
        for key in ("history", "resumed"):  # the second fit resumed from the backup (restored into the shards)
            np.testing.assert_allclose(ranks[key]["loss"], reference[key]["loss"], rtol=1e-5)
        for a, b in zip(_weights(one, 0), _weights(two, r)):  # the scalar stays replicated (DDP reduces it)
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    assert sorted(p.name for p in (two / "backup").iterdir()) == ["latest.backup"]


UNITS_SCRIPT = Path(__file__).with_name("_fsdp_units_script.py")


@pytest.mark.parametrize("units", ["layers", "model"])
def test_fsdp_units_are_layers_sharded_in_halves_and_gathered_one_at_a_time(tmp_path, units):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    one_process(UNITS_SCRIPT, one, units)
    torchrun(UNITS_SCRIPT, two, units)
    reference = _results(one, 0)
    everything = ["dense_a/bias", "dense_a/kernel", "dense_b/bias", "dense_b/kernel", "probe/bias", "probe/kernel"]
    assert reference["units"] == [] and reference["seen"][0] == everything  # one process: nothing sharded
    full_shapes = {"dense_a/kernel": [8, 33], "dense_a/bias": [33], "dense_b/kernel": [33, 16], "dense_b/bias": [16]}
    full_shapes.update({"probe/kernel": [16, 3], "probe/bias": [3]})
    for r in range(2):
        ranks = _results(two, r)
        np.testing.assert_allclose(ranks["loss"], reference["loss"], rtol=1e-5)
        np.testing.assert_allclose(ranks["val_loss"], reference["val_loss"], rtol=1e-5)
        np.testing.assert_allclose(ranks["first_predict"], reference["first_predict"], rtol=1e-5, atol=1e-6)
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        units_seen = {unit["owner"]: unit for unit in ranks["units"]}
        if units == "layers":
            # one unit per layer with weights, under a root unit that holds the regularized kernel
            assert set(units_seen) == {"dense_a", "dense_b", "probe", None}
            assert units_seen[None]["children"] == ["dense_a", "dense_b", "probe"]
            assert units_seen["dense_b"]["variables"] == ["dense_b/bias"]
            assert units_seen[None]["variables"] == ["dense_b/kernel"]
            # while the last layer runs, the earlier layers' units are freed again (the root's stays gathered)
            expected_seen = ["dense_b/kernel", "probe/bias", "probe/kernel"]
        else:
            assert list(units_seen) == [None] and units_seen[None]["children"] == []
            expected_seen = everything
        assert ranks["seen"] and all(seen == expected_seen for seen in ranks["seen"])
        # predict before fit and the validation inside it: gathered unit by unit as well
        assert len(ranks["seen_inference"]) == len(reference["seen_inference"]) == 4 + 2 * 2  # predict, 2 validations
        assert all(seen == expected_seen for seen in ranks["seen_inference"]), ranks["seen_inference"]
        for unit in ranks["units"]:
            for path, local, placement in zip(unit["variables"], unit["local_shapes"], unit["placements"]):
                full = full_shapes[path]
                assert placement == "(Shard(dim=0),)"
                # this rank's rows of an FSDP2 DTensor: half of dim 0 (uneven sizes: rank 0 takes the extra row)
                assert local == [(full[0] + 1 - r) // 2] + full[1:], (path, local)


MODELS_SCRIPT = Path(__file__).with_name("_fsdp_models_script.py")


def test_fsdp_tied_weights_read_outside_their_layer_need_units_model(tmp_path):
    folders = {name: tmp_path / name for name in ("one", "layers", "model")}
    for folder in folders.values():
        folder.mkdir()
    one_process(MODELS_SCRIPT, folders["one"], "tied", "layers")
    torchrun(MODELS_SCRIPT, folders["layers"], "tied", "layers")
    torchrun(MODELS_SCRIPT, folders["model"], "tied", "model")
    reference = _results(folders["one"], 0)
    for r in range(2):
        error = _results(folders["layers"], r)["error"]
        assert "read while FSDP2 had it freed" in error and "FSDPStrategy(units='model')" in error, error
        ranks = _results(folders["model"], r)  # one unit for the model: trains as one process
        np.testing.assert_allclose(ranks["loss"], reference["loss"], rtol=1e-5)
        for a, b in zip(_weights(folders["one"], 0), _weights(folders["model"], r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_fsdp_layer_called_twice_in_one_forward_pass_trains_as_one_process(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    one_process(MODELS_SCRIPT, one, "shared", "layers")
    torchrun(MODELS_SCRIPT, two, "shared", "layers")
    reference = _results(one, 0)
    for r in range(2):
        np.testing.assert_allclose(_results(two, r)["loss"], reference["loss"], rtol=1e-5)
        for a, b in zip(_weights(one, 0), _weights(two, r)):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
