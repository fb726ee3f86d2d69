"""Time series forecasting windows: timeseries_dataset_from_array and simple models.

Source: tensorflow/docs site/en/tutorials/structured_data/time_series.ipynb
Covers: a (T, features) float array, train/val split and normalization by train mean/std,
a WindowGenerator-style split_window with tf.stack of slices, set_shape, element_spec of
keras.utils.timeseries_dataset_from_array(sequence_length, sequence_stride, shuffle=False,
batch_size), a Baseline model returning the last input, Dense and LSTM(return_sequences) outputs.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
t = np.arange(120, dtype="float32")
data = np.stack([np.sin(t / 5), np.cos(t / 7), t / 120.0], axis=1).astype("float32")
data += rng.normal(scale=0.05, size=data.shape).astype("float32")
n = len(data)
train_df, val_df = data[: int(n * 0.7)], data[int(n * 0.7):]
train_mean, train_std = train_df.mean(axis=0), train_df.std(axis=0)
train_df = (train_df - train_mean) / train_std
val_df = (val_df - train_mean) / train_std
report("train_shape", list(train_df.shape))

input_width, label_width, shift = 6, 1, 1
total_window_size = input_width + shift
input_slice = slice(0, input_width)
label_start = total_window_size - label_width
labels_slice = slice(label_start, None)
label_columns_indices = [0]


def split_window(features):
    inputs = features[:, input_slice, :]
    labels = features[:, labels_slice, :]
    labels = tf.stack([labels[:, :, i] for i in label_columns_indices], axis=-1)
    inputs.set_shape([None, input_width, None])
    labels.set_shape([None, label_width, None])
    return inputs, labels


example_window = tf.stack([np.array(train_df[:total_window_size]), np.array(train_df[10:10 + total_window_size]),
                           np.array(train_df[20:20 + total_window_size])])
example_inputs, example_labels = split_window(example_window)
report("window.shape", example_window.shape)
report("inputs.shape", example_inputs.shape)
report("labels.shape", example_labels.shape)
report("labels", example_labels, tol=1e-5)


def make_dataset(data):
    data = np.array(data, dtype=np.float32)
    ds = keras.utils.timeseries_dataset_from_array(data=data, targets=None, sequence_length=total_window_size,
                                                   sequence_stride=1, shuffle=False, batch_size=16)
    return ds.map(split_window)


train = make_dataset(train_df)
val = make_dataset(val_df)
report("element_spec", [[s.shape, s.dtype] for s in train.element_spec])
report("n_train_batches", len(list(train)))
report("batch_shapes", [[list(x.shape), list(y.shape)] for x, y in train][-2:])


class Baseline(keras.Model):
    def __init__(self, label_index=None):
        super().__init__()
        self.label_index = label_index

    def call(self, inputs):
        result = inputs[:, :, self.label_index]
        return result[:, :, tf.newaxis]


baseline = Baseline(label_index=0)
baseline.compile(loss=keras.losses.MeanSquaredError(), metrics=[keras.metrics.MeanAbsoluteError()])
report("baseline_eval", baseline.evaluate(val, verbose=0, return_dict=True), tol=1e-4)

dense = keras.Sequential([layers.Dense(units=8, activation="relu"), layers.Dense(units=1)])
dense.build((None, input_width, 3))
init_weights(dense, seed=1)
report("dense_out.shape", dense(example_inputs).shape)
lstm_model = keras.Sequential([layers.LSTM(8, return_sequences=True), layers.Dense(units=1)])
lstm_model.build((None, input_width, 3))
init_weights(lstm_model, seed=2)
out = lstm_model(example_inputs)
report("lstm_out.shape", out.shape)
report("lstm_out_last", out[:, -1, 0], tol=1e-5)
lstm_model.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(),
                   metrics=[keras.metrics.MeanAbsoluteError()])
history = lstm_model.fit(train, epochs=2, validation_data=val, verbose=0)
report("lstm_history_keys", sorted(history.history.keys()))
report("lstm_history_loss", history.history["loss"], tol=1e-3)
