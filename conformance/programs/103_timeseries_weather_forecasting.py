"""Timeseries forecasting for weather prediction: sampled windows and an LSTM regressor.

Source: keras-team/keras-io examples/timeseries/timeseries_weather_forecasting.py
Covers: normalize with the training split's mean/std, the train/validation split by index, labels
shifted by past + future, keras.preprocessing.timeseries_dataset_from_array(x, y, sequence_length=,
sampling_rate=step, batch_size=) for both splits, the first batch's shapes, a functional
keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2])) -> LSTM(32) -> Dense(1) model,
compile(Adam(learning_rate=), loss="mse"), EarlyStopping(monitor="val_loss", min_delta=0, patience=5),
ModelCheckpoint(monitor="val_loss", filepath=, verbose=1, save_weights_only=True, save_best_only=True),
fit with validation_data, and model.predict(x)[0] over dataset_val.take(5).
(A synthetic table with the 7 selected features instead of the Jena climate CSV, as numpy arrays
where the example uses pandas; past=72, future=12, step=6, batch_size=64, 3 epochs; the checkpoint
path ends in .weights.h5, which Keras 3 requires for save_weights_only.)
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report

rng = np.random.default_rng(103)
n_rows = 700
t = np.arange(n_rows)
df = np.stack([1000 + 3 * np.sin(t / 40), 10 + 6 * np.sin(2 * np.pi * t / 144),
               5 + 2 * np.cos(2 * np.pi * t / 144), 8 + rng.normal(0, 1, n_rows),
               1200 + 20 * np.sin(t / 70), 2 + np.abs(rng.normal(0, 1, n_rows)),
               180 + 60 * np.sin(t / 30)], axis=1) + rng.normal(0, 0.2, (n_rows, 7))

split_fraction = 0.715
train_split = int(split_fraction * int(df.shape[0]))
step = 6

past = 72
future = 12
learning_rate = 0.001
batch_size = 64
epochs = 3


def normalize(data, train_split):
    data_mean = data[:train_split].mean(axis=0)
    data_std = data[:train_split].std(axis=0)
    return (data - data_mean) / data_std


features = normalize(df, train_split)
train_data = features[0:train_split]
val_data = features[train_split:]

start = past + future
end = start + train_split

x_train = train_data[:, [i for i in range(7)]]
y_train = features[start:end][:, [1]]
sequence_length = int(past / step)
report("split", [train_split, x_train.shape, y_train.shape, sequence_length])

dataset_train = keras.preprocessing.timeseries_dataset_from_array(
    x_train,
    y_train,
    sequence_length=sequence_length,
    sampling_rate=step,
    batch_size=batch_size,
)

x_end = len(val_data) - past - future
label_start = train_split + past + future
x_val = val_data[:x_end][:, [i for i in range(7)]]
y_val = features[label_start:][:, [1]]

dataset_val = keras.preprocessing.timeseries_dataset_from_array(
    x_val,
    y_val,
    sequence_length=sequence_length,
    sampling_rate=step,
    batch_size=batch_size,
)
report("n_batches", [len(list(dataset_train)), len(list(dataset_val))])

for batch in dataset_train.take(1):
    inputs, targets = batch

report("input_shape", [inputs.numpy().shape, targets.numpy().shape, inputs.dtype])
report("first_window", [inputs[0, :, 1], targets[:3, 0]], tol=1e-6)

inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
lstm_out = keras.layers.LSTM(32)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)

model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
report("count_params", model.count_params())
init_weights(model, seed=1, scale=0.1)

path_checkpoint = os.path.join(tempfile.mkdtemp(), "model_checkpoint.weights.h5")
es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=5)

modelckpt_callback = keras.callbacks.ModelCheckpoint(
    monitor="val_loss",
    filepath=path_checkpoint,
    verbose=1,
    save_weights_only=True,
    save_best_only=True,
)

history = model.fit(
    dataset_train,
    epochs=epochs,
    validation_data=dataset_val,
    callbacks=[es_callback, modelckpt_callback],
    verbose=0,
)
report("history_keys", sorted(history.history.keys()))
report("loss", history.history["loss"], tol=1e-4)
report("val_loss", history.history["val_loss"], tol=1e-4)
report("checkpoint_exists", os.path.exists(path_checkpoint))

predictions = []
for x, y in dataset_val.take(5):
    predictions.append([x[0][:, 1].numpy()[-1], y[0].numpy()[0], model.predict(x, verbose=0)[0][0]])
report("predictions", predictions, tol=1e-4)

best = keras.Model(inputs=inputs, outputs=outputs)
best.load_weights(path_checkpoint)
report("best_predict", best.predict(dataset_val, verbose=0)[:4, 0], tol=1e-4)
