"""Multi-step time series models: baselines, single-shot Linear/Dense/Conv/LSTM, an autoregressive LSTM.

Source: tensorflow/docs site/en/tutorials/structured_data/time_series.ipynb ("Multi-step models")
Covers: the WindowGenerator of the tutorial with label_width = shift = OUT_STEPS,
MultiStepLastBaseline (tf.tile) and RepeatBaseline, single-shot Sequentials with
Lambda(lambda x: x[:, -1:, :]), Dense(kernel_initializer=tf.initializers.zeros()) and
Reshape([OUT_STEPS, num_features]), Conv1D(kernel_size=(CONV_WIDTH)), LSTM(return_sequences=False),
and the FeedBack model: LSTMCell wrapped in RNN(return_state=True) for a warmup method assigned to
the class, a call unrolling the cell with states=, tf.stack and tf.transpose; compile_and_fit with
EarlyStopping, evaluate(return_dict=True) on the validation windows. (No shuffling; a synthetic
table with the tutorial's column layout, too short for 48-step test windows; 2 epochs.)
"""
import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(96)
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



OUT_STEPS = 24
multi_window = WindowGenerator(input_width=24, label_width=OUT_STEPS, shift=OUT_STEPS)
report("multi_window", [multi_window.total_window_size, multi_window.input_indices[-1].item(),
                        multi_window.label_indices[:2].tolist()])
for inputs, labels in multi_window.train.take(1):
    report("example_shapes", [inputs.shape, labels.shape])
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


class MultiStepLastBaseline(tf.keras.Model):
    def call(self, inputs):
        return tf.tile(inputs[:, -1:, :], [1, OUT_STEPS, 1])


last_baseline = MultiStepLastBaseline()
last_baseline.compile(loss=tf.keras.losses.MeanSquaredError(),
                      metrics=[tf.keras.metrics.MeanAbsoluteError()])
multi_val_performance = {}
multi_performance = {}
multi_val_performance['Last'] = last_baseline.evaluate(multi_window.val, return_dict=True, verbose=0)
report("last", multi_val_performance['Last'], tol=1e-5)


class RepeatBaseline(tf.keras.Model):
    def call(self, inputs):
        return inputs


repeat_baseline = RepeatBaseline()
repeat_baseline.compile(loss=tf.keras.losses.MeanSquaredError(),
                        metrics=[tf.keras.metrics.MeanAbsoluteError()])
multi_val_performance['Repeat'] = repeat_baseline.evaluate(multi_window.val, return_dict=True, verbose=0)
report("repeat", multi_val_performance['Repeat'], tol=1e-5)

multi_linear_model = tf.keras.Sequential([
    # Take the last time-step.
    # Shape [batch, time, features] => [batch, 1, features]
    tf.keras.layers.Lambda(lambda x: x[:, -1:, :]),
    # Shape => [batch, 1, out_steps*features]
    tf.keras.layers.Dense(OUT_STEPS * num_features,
                          kernel_initializer=tf.initializers.zeros()),
    # Shape => [batch, out_steps, features]
    tf.keras.layers.Reshape([OUT_STEPS, num_features])
])
history = compile_and_fit(multi_linear_model, multi_window)
report("linear_history", history.history["loss"], tol=1e-4)
multi_val_performance['Linear'] = multi_linear_model.evaluate(multi_window.val, return_dict=True, verbose=0)
report("linear", multi_val_performance['Linear'], tol=1e-4)

multi_dense_model = tf.keras.Sequential([
    tf.keras.layers.Lambda(lambda x: x[:, -1:, :]),
    tf.keras.layers.Dense(512, activation='relu'),
    tf.keras.layers.Dense(OUT_STEPS * num_features,
                          kernel_initializer=tf.initializers.zeros()),
    tf.keras.layers.Reshape([OUT_STEPS, num_features])
])
multi_dense_model(multi_window.example[0])
init_weights(multi_dense_model, seed=1, scale=0.05)
history = compile_and_fit(multi_dense_model, multi_window)
multi_val_performance['Dense'] = multi_dense_model.evaluate(multi_window.val, return_dict=True, verbose=0)
report("dense", multi_val_performance['Dense'], tol=1e-3)

CONV_WIDTH = 3
multi_conv_model = tf.keras.Sequential([
    tf.keras.layers.Lambda(lambda x: x[:, -CONV_WIDTH:, :]),
    tf.keras.layers.Conv1D(256, activation='relu', kernel_size=(CONV_WIDTH)),
    tf.keras.layers.Dense(OUT_STEPS * num_features,
                          kernel_initializer=tf.initializers.zeros()),
    tf.keras.layers.Reshape([OUT_STEPS, num_features])
])
multi_conv_model(multi_window.example[0])
init_weights(multi_conv_model, seed=2, scale=0.05)
history = compile_and_fit(multi_conv_model, multi_window)
multi_val_performance['Conv'] = multi_conv_model.evaluate(multi_window.val, return_dict=True, verbose=0)
report("conv", multi_val_performance['Conv'], tol=1e-3)

multi_lstm_model = tf.keras.Sequential([
    tf.keras.layers.LSTM(16, return_sequences=False),
    tf.keras.layers.Dense(OUT_STEPS * num_features,
                          kernel_initializer=tf.initializers.zeros()),
    tf.keras.layers.Reshape([OUT_STEPS, num_features])
])
multi_lstm_model(multi_window.example[0])
init_weights(multi_lstm_model, seed=3, scale=0.1)
history = compile_and_fit(multi_lstm_model, multi_window)
multi_val_performance['LSTM'] = multi_lstm_model.evaluate(multi_window.val, return_dict=True, verbose=0)
report("lstm", multi_val_performance['LSTM'], tol=1e-3)


class FeedBack(tf.keras.Model):
    def __init__(self, units, out_steps):
        super().__init__()
        self.out_steps = out_steps
        self.units = units
        self.lstm_cell = tf.keras.layers.LSTMCell(units)
        # Also wrap the LSTMCell in an RNN to simplify the `warmup` method.
        self.lstm_rnn = tf.keras.layers.RNN(self.lstm_cell, return_state=True)
        self.dense = tf.keras.layers.Dense(num_features)


feedback_model = FeedBack(units=16, out_steps=OUT_STEPS)


def warmup(self, inputs):
    # inputs.shape => (batch, time, features)
    # x.shape => (batch, lstm_units)
    x, *state = self.lstm_rnn(inputs)

    # predictions.shape => (batch, features)
    prediction = self.dense(x)
    return prediction, state


FeedBack.warmup = warmup
prediction, state = feedback_model.warmup(multi_window.example[0])
report("warmup", [prediction.shape, len(state), [s.shape for s in state]])


def call(self, inputs, training=None):
    # Use a TensorArray to capture dynamically unrolled outputs.
    predictions = []
    # Initialize the LSTM state.
    prediction, state = self.warmup(inputs)

    # Insert the first prediction.
    predictions.append(prediction)

    # Run the rest of the prediction steps.
    for n in range(1, self.out_steps):
        # Use the last prediction as input.
        x = prediction
        # Execute one lstm step.
        x, state = self.lstm_cell(x, states=state,
                                  training=training)
        # Convert the lstm output to a prediction.
        prediction = self.dense(x)
        # Add the prediction to the output.
        predictions.append(prediction)

    # predictions.shape => (time, batch, features)
    predictions = tf.stack(predictions)
    # predictions.shape => (batch, time, features)
    predictions = tf.transpose(predictions, [1, 0, 2])
    return predictions


FeedBack.call = call
report("feedback_output_shape", feedback_model(multi_window.example[0]).shape)
init_weights(feedback_model, seed=4, scale=0.2)
report("feedback_weight_shapes", [list(w.shape) for w in feedback_model.weights])
report("feedback_out[0, :3, 0]", feedback_model(multi_window.example[0])[0, :3, 0], tol=1e-4)
history = compile_and_fit(feedback_model, multi_window)
multi_val_performance['AR LSTM'] = feedback_model.evaluate(multi_window.val, return_dict=True, verbose=0)
report("ar_lstm", multi_val_performance['AR LSTM'], tol=1e-3)
metric_name = 'mean_absolute_error'
report("val_mae_keys", [f"{name:8s}" for name in multi_val_performance])
