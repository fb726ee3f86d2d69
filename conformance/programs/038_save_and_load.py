"""Save and load models: checkpoint callback, weights files, .keras and legacy .h5 whole models.

Source: tensorflow/docs site/en/tutorials/keras/save_and_load.ipynb
Covers: a create_model() helper (Dense 512 relu, Dropout, Dense 10), ModelCheckpoint with
save_weights_only=True and a {epoch:04d} file pattern, evaluate of an untrained model vs one
with loaded weights, manual save_weights/load_weights, model.save("my_model.keras") and
keras.models.load_model, model.save("my_model.h5") (HDF5) and loading it back.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report

rng = np.random.default_rng(0)
train_images = rng.random((40, 784)).astype("float32")
train_labels = rng.integers(0, 10, 40)
test_images = rng.random((20, 784)).astype("float32")
test_labels = rng.integers(0, 10, 20)


def create_model(seed):
    model = keras.Sequential([keras.layers.Dense(32, activation="relu", input_shape=(784,)),
                              keras.layers.Dropout(0.2), keras.layers.Dense(10)])
    init_weights(model, seed=seed, scale=0.05)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    return model


d = tempfile.mkdtemp()
model = create_model(1)
checkpoint_path = os.path.join(d, "training_1", "cp.weights.h5")
cp_callback = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True, verbose=0)
model.fit(train_images, train_labels, epochs=2, validation_data=(test_images, test_labels), verbose=0,
          callbacks=[cp_callback])
report("checkpoint_dir", sorted(os.listdir(os.path.dirname(checkpoint_path))))
trained = model.evaluate(test_images, test_labels, verbose=0)

model = create_model(2)
untrained = model.evaluate(test_images, test_labels, verbose=0)
model.load_weights(checkpoint_path)
restored = model.evaluate(test_images, test_labels, verbose=0)
report("restored_equals_trained", bool(np.allclose(restored, trained, rtol=1e-5)))
report("untrained_differs", not np.allclose(untrained, trained))

checkpoint_path = os.path.join(d, "training_2", "cp-{epoch:04d}.weights.h5")
model = create_model(1)
cp_callback = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, verbose=0, save_weights_only=True,
                                              save_freq=2 * 2)
model.fit(train_images, train_labels, epochs=4, batch_size=20, callbacks=[cp_callback], verbose=0)
report("epoch_files", sorted(os.listdir(os.path.join(d, "training_2"))))

manual = os.path.join(d, "checkpoints", "my_checkpoint.weights.h5")
os.makedirs(os.path.dirname(manual))
model.save_weights(manual)
model2 = create_model(3)
model2.load_weights(manual)
report("manual_weights_equal", all(np.array_equal(a, b) for a, b in zip(model.get_weights(), model2.get_weights())))

keras_path = os.path.join(d, "my_model.keras")
model.save(keras_path)
new_model = keras.models.load_model(keras_path)
report("keras_layers", [type(l).__name__ for l in new_model.layers])
report("keras_same_eval", bool(np.allclose(new_model.evaluate(test_images, test_labels, verbose=0),
                                           model.evaluate(test_images, test_labels, verbose=0), rtol=1e-5)))
report("keras_predict.shape", new_model.predict(test_images, verbose=0).shape)

h5_path = os.path.join(d, "my_model.h5")
model.save(h5_path)
report("h5_exists", os.path.exists(h5_path))
h5_model = keras.models.load_model(h5_path)
report("h5_layers", [type(l).__name__ for l in h5_model.layers])
report("h5_same_predictions", bool(np.allclose(h5_model.predict(test_images, verbose=0),
                                               model.predict(test_images, verbose=0), rtol=1e-5, atol=1e-6)))
