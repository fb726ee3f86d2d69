"""Record TensorFlow's outputs for the keras.utils data tools on the trees of trees.py.

Run with the TensorFlow venv (never imported by capas or its tests):

    /work/tfvenv/bin/python tests/goldens/kerasutils/record.py

Writes kerasutils.json next to this file.
"""

import json
import os
import pathlib
import sys
import tempfile

import numpy as np
import tensorflow as tf

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import trees

keras = tf.keras


def tensor_record(t):
    a = np.asarray(t.numpy())
    if a.dtype == object or a.dtype.kind == "S":
        values = [v.decode("utf-8") for v in np.asarray(a).reshape(-1)]
        return {"dtype": "string", "shape": list(a.shape), "values": values}
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.reshape(-1).tolist()}


def element_record(element):
    if isinstance(element, tuple):
        return [tensor_record(t) for t in element]
    return [tensor_record(element)]


def dataset_record(ds, root, shuffled):
    out = {"class_names": getattr(ds, "class_names", None)}
    if hasattr(ds, "file_paths"):
        out["file_paths"] = [os.path.relpath(p, root) for p in ds.file_paths]
    elements = [element_record(e) for e in ds]
    if shuffled:
        # tf.data's shuffle buffer draws its own order: keep only what does not depend on it.
        out["element_shapes"] = [[r["shape"][1:] for r in e] for e in elements[:1]]
        if elements and len(elements[0]) > 1:
            out["sorted_labels"] = sorted(v for e in elements for v in e[1]["values"])
    else:
        out["elements"] = elements
    return out


def main():
    results = {"tf_version": tf.__version__, "keras_version": keras.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        images, texts, audio = (os.path.join(tmp, n) for n in ("images", "texts", "audio"))
        trees.write_images(images, lambda path, px: tf.io.write_file(path, tf.io.encode_png(px)))
        trees.write_texts(texts)
        trees.write_audio(audio)
        for name, kwargs in trees.IMAGE_CASES.items():
            ds = keras.utils.image_dataset_from_directory(images, verbose=False, **kwargs)
            shuffled = kwargs.get("shuffle", True)
            if isinstance(ds, (list, tuple)):
                results[name] = [dataset_record(ds[0], images, shuffled), dataset_record(ds[1], images, False)]
            else:
                results[name] = dataset_record(ds, images, shuffled)
        for name, kwargs in trees.TEXT_CASES.items():
            ds = keras.utils.text_dataset_from_directory(texts, verbose=False, **kwargs)
            results[name] = dataset_record(ds, texts, kwargs.get("shuffle", True))
        for name, kwargs in trees.AUDIO_CASES.items():
            ds = keras.utils.audio_dataset_from_directory(audio, verbose=False, **kwargs)
            results[name] = dataset_record(ds, audio, kwargs.get("shuffle", True))
    for name, kwargs in trees.SERIES_CASES.items():
        kwargs = dict(kwargs)
        targets = trees.SERIES_TARGETS if kwargs.pop("targets") else None
        ds = keras.utils.timeseries_dataset_from_array(trees.SERIES, targets, **kwargs)
        results[name] = dataset_record(ds, ".", kwargs.get("shuffle", False))
    for name, kwargs in trees.SPLIT_CASES.items():
        kwargs = dict(kwargs)
        kind = kwargs.pop("data")
        data = (np.arange(10), np.arange(10) * 2) if kind == "tuple" else np.arange(12).reshape(6, 2)
        left, right = keras.utils.split_dataset(data, **kwargs)
        results[name] = [[element_record(e) for e in left], [element_record(e) for e in right]]
    for name, kwargs in trees.PAD_CASES.items():
        out = keras.utils.pad_sequences(trees.SEQUENCES, **kwargs)
        results[name] = {"dtype": str(out.dtype), "shape": list(out.shape), "values": out.reshape(-1).tolist()}
    (HERE / "kerasutils.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {HERE / 'kerasutils.json'}")


if __name__ == "__main__":
    main()
