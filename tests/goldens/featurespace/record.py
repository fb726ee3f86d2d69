"""Record TensorFlow's (tf.keras 3) FeatureSpace and HashedCrossing results on the inputs of cases.py.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/featurespace/record.py

Writes featurespace.json and example_space.keras (the fitted keras-io example space, saved by
tf.keras) next to this file.
"""

import json
import pathlib
import sys

import numpy as np
import tensorflow as tf

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cases  # noqa: E402

keras = tf.keras
FeatureSpace = keras.utils.FeatureSpace


def plain(x):
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    a = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if a.dtype == object or a.dtype.kind == "S":
        return [v.decode() if isinstance(v, bytes) else v for v in a.reshape(-1).tolist()]
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.reshape(-1).tolist()}


def build(spec, crosses, output_mode):
    features = {name: getattr(FeatureSpace, kind)(name=name, **kw) for name, kind, kw in spec}
    return FeatureSpace(features=features, crosses=crosses, crossing_dim=32, output_mode=output_mode)


def fitted_state(space):
    state = {}
    for name, pre in space.preprocessors.items():
        if isinstance(pre, (keras.layers.StringLookup, keras.layers.IntegerLookup)):
            state[name] = {"vocabulary": [v.decode() if isinstance(v, bytes) else v for v in pre.get_vocabulary()]}
        elif isinstance(pre, keras.layers.Normalization):
            state[name] = {"mean": plain(pre.mean), "variance": plain(pre.variance)}
        elif isinstance(pre, keras.layers.Discretization):
            state[name] = {"bin_boundaries": [float(b) for b in pre.bin_boundaries]}
    return state


def record_space(spec, crosses, output_mode, columns, probe_rows, save_to=None):
    space = build(spec, crosses, output_mode)
    names = [name for name, _, _ in spec]
    target = columns["target"]
    ds = tf.data.Dataset.from_tensor_slices(({n: columns[n] for n in names}, target)).batch(4)
    space.adapt(ds.map(lambda x, _: x))  # the example's train_ds_with_no_labels
    probe = {n: tf.constant(probe_rows[n]) for n in names}
    single = {n: tf.constant([probe_rows[n][0]]) for n in names}
    scalar = {n: probe_rows[n][1] for n in names}
    mapped = tf.data.Dataset.from_tensor_slices({n: probe_rows[n] for n in names}).batch(2).map(space)
    encoded = space.get_encoded_features()
    out = {
        "state": fitted_state(space),
        "probe": plain(space(probe)),
        "single": plain(space(single)),
        "scalar": plain(space(scalar)),
        "mapped": [plain(batch) for batch in mapped],
        "train_rows": plain(space({n: tf.constant(columns[n]) for n in names})),
        "encoded_shape": {k: list(v.shape) for k, v in encoded.items()}
        if isinstance(encoded, dict)
        else list(encoded.shape),
        "inputs": {k: [list(v.shape), v.dtype] for k, v in space.get_inputs().items()},
        "config": json.loads(json.dumps(space.get_config(), default=str)),
    }
    if save_to is not None:
        space.save(str(save_to))
        loaded = keras.models.load_model(str(save_to))
        out["loaded_probe"] = plain(loaded(probe))
    return out


def record_hashed_crossing():
    out = []
    for num_bins, mode, a, b in cases.HASHED_CROSSING_CASES:
        layer = keras.layers.HashedCrossing(num_bins=num_bins, output_mode=mode)
        out.append({"output": plain(layer((tf.constant(a), tf.constant(b)))), "config": layer.get_config()})
    return out


def main():
    columns = cases.heart_columns()
    goldens = {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "example": record_space(
            cases.EXAMPLE_FEATURES,
            cases.EXAMPLE_CROSSES,
            "concat",
            columns,
            cases.PROBE_ROWS,
            HERE / "example_space.keras",
        ),
        "other": record_space(
            cases.OTHER_FEATURES,
            cases.OTHER_CROSSES,
            "dict",
            columns,
            {**cases.PROBE_ROWS, **cases.OTHER_PROBE_OVERRIDES},
        ),
        "hashed_crossing": record_hashed_crossing(),
    }
    text = json.dumps(goldens, indent=1, sort_keys=True, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    (HERE / "featurespace.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
