"""Structured data classification with FeatureSpace.

Source: keras-team/keras-io examples/structured_data/structured_data_classification_with_feature_space.py
Covers: a DataFrame-like dict of columns -> Dataset.from_tensor_slices((dict, labels)), keras.utils.FeatureSpace
with integer_categorical/string_categorical(num_oov_indices=0), float_discretized(num_bins),
float_normalized, two crosses (FeatureSpace.cross, crossing_dim), output_mode="concat", adapt on the
features-only dataset, the encoded vector of one batch, the preprocessed datasets (map with
num_parallel_calls=AUTOTUNE), get_inputs/get_encoded_features, a training model on the encoded
features and an inference model on the raw dict inputs (fit, predict on one raw sample).
Synthetic rows of the heart-disease columns instead of the CSV download; no Dropout, so the
numbers compare.
"""
import numpy as np
from _target import init_weights, keras, report, tf

FeatureSpace = keras.utils.FeatureSpace

rng = np.random.default_rng(0)
N = 48
columns = {
    "sex": rng.integers(0, 2, N).astype("int64"),
    "cp": rng.integers(0, 5, N).astype("int64"),
    "fbs": rng.integers(0, 2, N).astype("int64"),
    "restecg": rng.integers(0, 3, N).astype("int64"),
    "exang": rng.integers(0, 2, N).astype("int64"),
    "ca": rng.integers(0, 4, N).astype("int64"),
    "thal": np.array(["fixed", "normal", "reversible"])[rng.integers(0, 3, N)],
    "age": rng.integers(29, 78, N).astype("int64"),
    "trestbps": rng.integers(94, 200, N).astype("int64"),
    "chol": rng.integers(126, 564, N).astype("int64"),
    "thalach": rng.integers(71, 202, N).astype("int64"),
    "oldpeak": np.round(rng.uniform(0, 6.2, N), 1).astype("float64"),
    "slope": rng.integers(1, 4, N).astype("int64"),
}
target = ((columns["age"] > 55) ^ (columns["sex"] == 1)).astype("int64")
val_rows = 12
train_cols = {k: v[val_rows:] for k, v in columns.items()}
val_cols = {k: v[:val_rows] for k, v in columns.items()}


def dataframe_to_dataset(cols, labels):
    return tf.data.Dataset.from_tensor_slices((dict(cols), labels))


train_ds = dataframe_to_dataset(train_cols, target[val_rows:]).batch(8)
val_ds = dataframe_to_dataset(val_cols, target[:val_rows]).batch(8)
for x, y in dataframe_to_dataset(train_cols, target[val_rows:]).take(1):
    report("first_row_keys", sorted(x))
    report("first_row_thal", x["thal"])

feature_space = FeatureSpace(
    features={
        "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
        "cp": FeatureSpace.integer_categorical(num_oov_indices=0),
        "fbs": FeatureSpace.integer_categorical(num_oov_indices=0),
        "restecg": FeatureSpace.integer_categorical(num_oov_indices=0),
        "exang": FeatureSpace.integer_categorical(num_oov_indices=0),
        "ca": FeatureSpace.integer_categorical(num_oov_indices=0),
        "thal": FeatureSpace.string_categorical(num_oov_indices=0),
        "age": FeatureSpace.float_discretized(num_bins=8),
        "trestbps": FeatureSpace.float_normalized(),
        "chol": FeatureSpace.float_normalized(),
        "thalach": FeatureSpace.float_normalized(),
        "oldpeak": FeatureSpace.float_normalized(),
        "slope": FeatureSpace.float_normalized(),
    },
    crosses=[
        FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=16),
        FeatureSpace.cross(feature_names=("thal", "ca"), crossing_dim=8),
    ],
    output_mode="concat",
)
train_ds_with_no_labels = train_ds.map(lambda x, _: x)
feature_space.adapt(train_ds_with_no_labels)

for x, _ in train_ds.take(1):
    preprocessed_x = feature_space(x)
    report("preprocessed_x.shape", preprocessed_x.shape)
    report("preprocessed_x.dtype", preprocessed_x.dtype)
    report("preprocessed_x[0]", preprocessed_x[0], tol=1e-5)
    report("preprocessed_x.sum", float(tf.reduce_sum(preprocessed_x)), tol=1e-4)

preprocessed_train_ds = train_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE)
preprocessed_train_ds = preprocessed_train_ds.prefetch(tf.data.AUTOTUNE)
preprocessed_val_ds = val_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE)
preprocessed_val_ds = preprocessed_val_ds.prefetch(tf.data.AUTOTUNE)

dict_inputs = feature_space.get_inputs()
encoded_features = feature_space.get_encoded_features()
report("dict_inputs.keys", sorted(dict_inputs))
report("encoded_features.shape", encoded_features.shape)

x = keras.layers.Dense(16, activation="relu")(encoded_features)
predictions = keras.layers.Dense(1, activation="sigmoid")(x)
training_model = keras.Model(inputs=encoded_features, outputs=predictions)
init_weights(training_model, seed=2)
training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)

history = training_model.fit(preprocessed_train_ds, epochs=5, validation_data=preprocessed_val_ds, verbose=0)
report("history.keys", sorted(history.history))
report("loss", history.history["loss"], tol=1e-3)
report("val_loss", history.history["val_loss"], tol=1e-3)

sample = {
    "age": 60,
    "sex": 1,
    "cp": 1,
    "trestbps": 145,
    "chol": 233,
    "fbs": 1,
    "restecg": 2,
    "thalach": 150,
    "exang": 0,
    "oldpeak": 2.3,
    "slope": 3,
    "ca": 0,
    "thal": "fixed",
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
prediction = inference_model.predict(input_dict, verbose=0)
report("prediction.shape", prediction.shape)
report("prediction", prediction, tol=1e-3)
