"""Time series forecasting models: WindowGenerator datasets, baselines, Linear, Dense, Conv, LSTM, residual.

Source: tensorflow/docs site/en/tutorials/structured_data/time_series.ipynb ("Single step models",
"Multi-output models", "Multi-step models")
Covers: a WindowGenerator class (indices, split_window with tf.stack and set_shape,
make_dataset with keras.utils.timeseries_dataset_from_array, train/val/test/example properties),
element_spec, a Baseline keras.Model with tf.newaxis indexing, compile with MeanSquaredError and
MeanAbsoluteError metric, evaluate(return_dict=True), compile_and_fit with EarlyStopping on
val_loss, Sequential Linear/Dense/multi-step Dense (Flatten + Reshape([1, -1])), Conv1D with
kernel_size tuple, LSTM(return_sequences=True), the error of a multi-step dense model on a wide
window, model.metrics, a ResidualWrapper model with zeros kernel_initializer, and
MultiStepLastBaseline with tf.tile. (Shuffling of the windows is off so both frameworks train
on the same batches; the table is synthetic with the tutorial's column layout.)
"""
import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(91)
columns = ['p (mbar)', 'T (degC)', 'rh (%)', 'wv (m/s)', 'Day sin', 'Day cos']
t = np.arange(260, dtype="float64")
data = np.stack([1000 + 5 * np.sin(t / 50), 10 + 8 * np.sin(2 * np.pi * t / 24),
                 70 + 10 * np.cos(2 * np.pi * t / 24), np.abs(rng.normal(2, 1, t.size)),
                 np.sin(2 * np.pi * t / 24), np.cos(2 * np.pi * t / 24)], axis=1)
data += rng.normal(0, 0.1, data.shape)
column_indices = {name: i for i, name in enumerate(columns)}
n = len(data)
train_df = data[0:int(n * 0.7)]
val_df = data[int(n * 0.7):int(n * 0.9)]
test_df = data[int(n * 0.9):]
num_features = data.shape[1]
train_mean = train_df.mean(axis=0)
train_std = train_df.std(axis=0, ddof=1)
train_df = (train_df - train_mean) / train_std
val_df = (val_df - train_mean) / train_std
test_df = (test_df - train_mean) / train_std


class WindowGenerator():
    def __init__(self, input_width, label_width, shift,
                 train_df=train_df, val_df=val_df, test_df=test_df,
                 label_columns=None):
        # Store the raw data.
        self.train_df = train_df
        self.val_df = val_df
        self.test_df = test_df

        # Work out the label column indices.
        self.label_columns = label_columns
        if label_columns is not None:
            self.label_columns_indices = {name: i for i, name in
                                          enumerate(label_columns)}
        self.column_indices = {name: i for i, name in
                               enumerate(columns)}

        # Work out the window parameters.
        self.input_width = input_width
        self.label_width = label_width
        self.shift = shift

        self.total_window_size = input_width + shift

        self.input_slice = slice(0, input_width)
        self.input_indices = np.arange(self.total_window_size)[self.input_slice]

        self.label_start = self.total_window_size - self.label_width
        self.labels_slice = slice(self.label_start, None)
        self.label_indices = np.arange(self.total_window_size)[self.labels_slice]

    def split_window(self, features):
        inputs = features[:, self.input_slice, :]
        labels = features[:, self.labels_slice, :]
        if self.label_columns is not None:
            labels = tf.stack(
                [labels[:, :, self.column_indices[name]] for name in self.label_columns],
                axis=-1)

        # Slicing doesn't preserve static shape information, so set the shapes
        # manually. This way the `tf.data.Datasets` are easier to inspect.
        inputs.set_shape([None, self.input_width, None])
        labels.set_shape([None, self.label_width, None])

        return inputs, labels

    def make_dataset(self, data):
        data = np.array(data, dtype=np.float32)
        ds = tf.keras.utils.timeseries_dataset_from_array(
            data=data,
            targets=None,
            sequence_length=self.total_window_size,
            sequence_stride=1,
            shuffle=False,
            batch_size=32,)

        ds = ds.map(self.split_window)

        return ds

    @property
    def train(self):
        return self.make_dataset(self.train_df)

    @property
    def val(self):
        return self.make_dataset(self.val_df)

    @property
    def test(self):
        return self.make_dataset(self.test_df)

    @property
    def example(self):
        """Get and cache an example batch of `inputs, labels` for plotting."""
        result = getattr(self, '_example', None)
        if result is None:
            # No example batch was found, so get one from the `.train` dataset
            result = next(iter(self.train))
            # And cache it for next time
            self._example = result
        return result


w2 = WindowGenerator(input_width=6, label_width=1, shift=1, label_columns=['T (degC)'])
report("w2", [w2.total_window_size, w2.input_indices.tolist(), w2.label_indices.tolist()])
example_window = tf.stack([np.array(train_df[:w2.total_window_size]),
                           np.array(train_df[50:50 + w2.total_window_size]),
                           np.array(train_df[100:100 + w2.total_window_size])])
example_inputs, example_labels = w2.split_window(example_window)
report("split_shapes", [example_window.shape, example_inputs.shape, example_labels.shape])
report("example_window.dtype", example_window.dtype)
report("element_spec", [[list(s.shape), s.dtype] for s in w2.train.element_spec])

single_step_window = WindowGenerator(input_width=1, label_width=1, shift=1, label_columns=['T (degC)'])


class Baseline(tf.keras.Model):
    def __init__(self, label_index=None):
        super().__init__()
        self.label_index = label_index

    def call(self, inputs):
        if self.label_index is None:
            return inputs
        result = inputs[:, :, self.label_index]
        return result[:, :, tf.newaxis]


baseline = Baseline(label_index=column_indices['T (degC)'])
baseline.compile(loss=tf.keras.losses.MeanSquaredError(),
                 metrics=[tf.keras.metrics.MeanAbsoluteError()])
val_performance = {}
performance = {}
val_performance['Baseline'] = baseline.evaluate(single_step_window.val, return_dict=True, verbose=0)
performance['Baseline'] = baseline.evaluate(single_step_window.test, verbose=0, return_dict=True)
report("baseline_val", val_performance['Baseline'], tol=1e-5)

wide_window = WindowGenerator(input_width=24, label_width=24, shift=1, label_columns=['T (degC)'])
report("baseline_wide_shape", baseline(wide_window.example[0]).shape)

linear = tf.keras.Sequential([
    tf.keras.layers.Dense(units=1)
])
report("linear_out_shape", linear(single_step_window.example[0]).shape)
init_weights(linear, seed=1)
MAX_EPOCHS = 2


def compile_and_fit(model, window, patience=2):
    early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_loss',
                                                      patience=patience,
                                                      mode='min')

    model.compile(loss=tf.keras.losses.MeanSquaredError(),
                  optimizer=tf.keras.optimizers.Adam(),
                  metrics=[tf.keras.metrics.MeanAbsoluteError()])

    history = model.fit(window.train, epochs=MAX_EPOCHS,
                        validation_data=window.val,
                        callbacks=[early_stopping], verbose=0)
    return history


history = compile_and_fit(linear, single_step_window)
report("linear_history_keys", sorted(history.history.keys()))
report("linear_history_loss", history.history["loss"], tol=1e-4)
val_performance['Linear'] = linear.evaluate(single_step_window.val, return_dict=True, verbose=0)
performance['Linear'] = linear.evaluate(single_step_window.test, verbose=0, return_dict=True)
report("linear_val", val_performance['Linear'], tol=1e-4)
report("linear_wide_shape", linear(wide_window.example[0]).shape)
report("linear_kernel", linear.layers[0].kernel[:, 0].numpy(), tol=1e-4)

dense = tf.keras.Sequential([
    tf.keras.layers.Dense(units=64, activation='relu'),
    tf.keras.layers.Dense(units=64, activation='relu'),
    tf.keras.layers.Dense(units=1)
])
dense(single_step_window.example[0])
init_weights(dense, seed=2)
history = compile_and_fit(dense, single_step_window)
val_performance['Dense'] = dense.evaluate(single_step_window.val, return_dict=True, verbose=0)
report("dense_val", val_performance['Dense'], tol=1e-3)

CONV_WIDTH = 3
conv_window = WindowGenerator(input_width=CONV_WIDTH, label_width=1, shift=1, label_columns=['T (degC)'])
multi_step_dense = tf.keras.Sequential([
    # Shape: (time, features) => (time*features)
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(units=32, activation='relu'),
    tf.keras.layers.Dense(units=32, activation='relu'),
    tf.keras.layers.Dense(units=1),
    # Add back the time dimension.
    # Shape: (outputs) => (1, outputs)
    tf.keras.layers.Reshape([1, -1]),
])
report("multi_step_dense_shape", multi_step_dense(conv_window.example[0]).shape)
init_weights(multi_step_dense, seed=3)
history = compile_and_fit(multi_step_dense, conv_window)
val_performance['Multi step dense'] = multi_step_dense.evaluate(conv_window.val, return_dict=True, verbose=0)
report("multi_step_dense_val", val_performance['Multi step dense'], tol=1e-3)
try:
    multi_step_dense(wide_window.example[0])
    report("wide_error", "no error")
except Exception as e:
    report("wide_error", type(e).__name__)

conv_model = tf.keras.Sequential([
    tf.keras.layers.Conv1D(filters=32,
                           kernel_size=(CONV_WIDTH,),
                           activation='relu'),
    tf.keras.layers.Dense(units=32, activation='relu'),
    tf.keras.layers.Dense(units=1),
])
report("conv_out_shape", conv_model(conv_window.example[0]).shape)
init_weights(conv_model, seed=4)
history = compile_and_fit(conv_model, conv_window)
val_performance['Conv'] = conv_model.evaluate(conv_window.val, return_dict=True, verbose=0)
report("conv_val", val_performance['Conv'], tol=1e-3)
report("conv_wide_shape", conv_model(wide_window.example[0]).shape)
LABEL_WIDTH = 24
INPUT_WIDTH = LABEL_WIDTH + (CONV_WIDTH - 1)
wide_conv_window = WindowGenerator(input_width=INPUT_WIDTH, label_width=LABEL_WIDTH, shift=1,
                                   label_columns=['T (degC)'])
report("wide_conv_shapes", [wide_conv_window.example[0].shape, wide_conv_window.example[1].shape,
                            conv_model(wide_conv_window.example[0]).shape])

lstm_model = tf.keras.models.Sequential([
    # Shape [batch, time, features] => [batch, time, lstm_units]
    tf.keras.layers.LSTM(16, return_sequences=True),
    # Shape => [batch, time, features]
    tf.keras.layers.Dense(units=1)
])
report("lstm_out_shape", lstm_model(wide_window.example[0]).shape)
init_weights(lstm_model, seed=5)
history = compile_and_fit(lstm_model, wide_window)
val_performance['LSTM'] = lstm_model.evaluate(wide_window.val, return_dict=True, verbose=0)
report("lstm_val", val_performance['LSTM'], tol=1e-3)
cm = lstm_model.metrics[1]
report("n_metrics", len(lstm_model.metrics))
report("compile_metrics", [m.name for m in cm.metrics])
report("val_performance_keys", list(val_performance.keys()))
metric_name = 'mean_absolute_error'
report("val_mae_len", len([v[metric_name] for v in val_performance.values()]))

wide_window = WindowGenerator(input_width=24, label_width=24, shift=1)
for example_inputs, example_labels in wide_window.train.take(1):
    report("multi_output_shapes", [example_inputs.shape, example_labels.shape])
baseline = Baseline()
baseline.compile(loss=tf.keras.losses.MeanSquaredError(),
                 metrics=[tf.keras.metrics.MeanAbsoluteError()])
report("multi_baseline_val", baseline.evaluate(wide_window.val, return_dict=True, verbose=0), tol=1e-5)


class ResidualWrapper(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def call(self, inputs, *args, **kwargs):
        delta = self.model(inputs, *args, **kwargs)

        # The prediction for each time step is the input
        # from the previous time step plus the delta
        # calculated by the model.
        return inputs + delta


residual_lstm = ResidualWrapper(
    tf.keras.Sequential([
        tf.keras.layers.LSTM(16, return_sequences=True),
        tf.keras.layers.Dense(
            num_features,
            # The predicted deltas should start small.
            # Therefore, initialize the output layer with zeros.
            kernel_initializer=tf.initializers.zeros())
    ]))
out = residual_lstm(wide_window.example[0])
report("residual_is_identity", bool(np.allclose(out.numpy(), wide_window.example[0].numpy())))
init_weights(residual_lstm, seed=6, scale=0.05)
history = compile_and_fit(residual_lstm, wide_window)
report("residual_val", residual_lstm.evaluate(wide_window.val, return_dict=True, verbose=0), tol=1e-3)

OUT_STEPS = 24
multi_window = WindowGenerator(input_width=24, label_width=OUT_STEPS, shift=OUT_STEPS)
report("multi_window", [multi_window.total_window_size, multi_window.label_indices[:3].tolist()])


class MultiStepLastBaseline(tf.keras.Model):
    def call(self, inputs):
        return tf.tile(inputs[:, -1:, :], [1, OUT_STEPS, 1])


last_baseline = MultiStepLastBaseline()
last_baseline.compile(loss=tf.keras.losses.MeanSquaredError(),
                      metrics=[tf.keras.metrics.MeanAbsoluteError()])
report("last_baseline_val", last_baseline.evaluate(multi_window.val, return_dict=True, verbose=0), tol=1e-5)
