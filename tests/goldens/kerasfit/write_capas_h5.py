"""Write `capas_model.h5` with capas, for `record.py` to load under real TF.

    PYTHONPATH=$PWD /work/main/.venv/bin/python tests/goldens/kerasfit/write_capas_h5.py
    /work/tfvenv/bin/python tests/goldens/kerasfit/record.py

The model is deterministic (weights from numpy). `capas_model_inputs.json`
holds the inputs and capas's own predictions; record.py stores TF's
predictions for the same file under `capas_h5` in golden.json.
"""

import json
import os

import numpy as np

from capas import keras
from capas.keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(40)

inputs = keras.Input(shape=(4,), name="features")
h = layers.Dense(6, activation="relu", name="hidden")(inputs)
h = layers.BatchNormalization(name="norm")(h)
outputs = layers.Dense(3, activation="softmax", name="probs")(h)
model = keras.Model(inputs, outputs, name="capas_h5")
model.set_weights([(rng.standard_normal(w.shape) * 0.5).astype("float32") for w in model.get_weights()])
norm = model.get_layer("norm")
norm.moving_variance.assign(np.abs(norm.moving_variance.numpy()) + 0.5)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = rng.standard_normal((3, 4)).astype("float32")
model.save(os.path.join(HERE, "capas_model.h5"))
with open(os.path.join(HERE, "capas_model_inputs.json"), "w") as f:
    json.dump({"x": x.tolist(), "capas_predict": model.predict(x, verbose=0).tolist()}, f, indent=1)
print("wrote", os.path.join(HERE, "capas_model.h5"))
