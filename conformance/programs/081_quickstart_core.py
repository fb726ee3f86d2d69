"""Linear regression with the Core APIs: tf.Module normalizer, lazily built tf.function model, export.

Source: tensorflow/docs site/en/guide/core/quickstart_core.ipynb
Covers: tf.convert_to_tensor of an auto-mpg-shaped table, slicing features/labels, one-hot of
the origin column with tf.one_hot + tf.concat, a Normalize tf.Module (reduce_mean/reduce_std,
norm/unnorm), a LinearRegression tf.Module whose @tf.function __call__ creates its variables on the
first call, an MSE loss, batched tf.data training with GradientTape and assign_sub over
module.variables, and an ExportModule with an input_signature saved by tf.saved_model.save and
loaded back. (The random split, shuffles and tf.random.uniform initial values are replaced by
fixed ones so both frameworks train the same numbers.)
"""
import os
import tempfile

import numpy as np
from _target import report, tf

tf.random.set_seed(22)
rng = np.random.default_rng(81)
n = 160
cylinders = rng.choice([4.0, 6.0, 8.0], n)
displacement = rng.uniform(70, 450, n)
horsepower = rng.uniform(45, 230, n)
weight = rng.uniform(1600, 5100, n)
acceleration = rng.uniform(8, 25, n)
year = rng.integers(70, 83, n).astype("float64")
origin = rng.integers(1, 4, n).astype("float64")
mpg = 60 - 0.008 * weight - 0.05 * horsepower + 0.4 * (year - 70) + rng.normal(0, 2, n)
dataset = np.stack([mpg, cylinders, displacement, horsepower, weight, acceleration, year, origin], 1)

dataset_tf = tf.convert_to_tensor(dataset, dtype=tf.float32)
report("dataset_tf.shape", dataset_tf.shape)
report("dataset_tf.dtype", dataset_tf.dtype)
# The tutorial shuffles with tf.random.shuffle(dataset_tf, seed=22); a fixed order here.
dataset_shuffled = dataset_tf
train_data, test_data = dataset_shuffled[40:], dataset_shuffled[:40]
x_train, y_train = train_data[:, 1:], train_data[:, 0]
x_test, y_test = test_data[:, 1:], test_data[:, 0]
report("x_train.shape", x_train.shape)
report("y_train.shape", y_train.shape)


def onehot_origin(x):
    origin = tf.cast(x[:, -1], tf.int32)
    # Use `origin - 1` to account for 1-indexed feature
    origin_oh = tf.one_hot(origin - 1, 3)
    x_ohe = tf.concat([x[:, :-1], origin_oh], axis=1)
    return x_ohe


x_train_ohe, x_test_ohe = onehot_origin(x_train), onehot_origin(x_test)
report("x_train_ohe.shape", x_train_ohe.shape)
report("x_train_ohe[:3]", x_train_ohe.numpy()[:3], tol=1e-5)


class Normalize(tf.Module):
    def __init__(self, x):
        # Initialize the mean and standard deviation for normalization
        self.mean = tf.math.reduce_mean(x, axis=0)
        self.std = tf.math.reduce_std(x, axis=0)

    def norm(self, x):
        # Normalize the input
        return (x - self.mean) / self.std

    def unnorm(self, x):
        # Unnormalize the input
        return (x * self.std) + self.mean


norm_x = Normalize(x_train_ohe)
norm_y = Normalize(y_train)
x_train_norm, y_train_norm = norm_x.norm(x_train_ohe), norm_y.norm(y_train)
x_test_norm, y_test_norm = norm_x.norm(x_test_ohe), norm_y.norm(y_test)
report("norm_x.mean", norm_x.mean, tol=1e-4)
report("norm_x.std", norm_x.std, tol=1e-4)
report("x_train_norm[:2]", x_train_norm[:2], tol=1e-4)

init_rng = np.random.default_rng(22)


class LinearRegression(tf.Module):

    def __init__(self):
        self.built = False

    @tf.function
    def __call__(self, x):
        # Initialize the model parameters on the first call
        if not self.built:
            # Randomly generate the weight vector and bias term (fixed numbers here)
            rand_w = tf.constant(init_rng.uniform(0, 1, [x.shape[-1], 1]).astype("float32"))
            rand_b = tf.constant(np.float32(init_rng.uniform(0, 1)))
            self.w = tf.Variable(rand_w)
            self.b = tf.Variable(rand_b)
            self.built = True
        y = tf.add(tf.matmul(x, self.w), self.b)
        return tf.squeeze(y, axis=1)


lin_reg = LinearRegression()
prediction = lin_reg(x_train_norm[:1])
prediction_unnorm = norm_y.unnorm(prediction)
report("prediction.shape", prediction.shape)
report("prediction_unnorm", prediction_unnorm.numpy(), tol=1e-4)
report("n_variables", len(lin_reg.variables))
report("variable_shapes", sorted(list(v.shape) for v in lin_reg.variables))


def mse_loss(y_pred, y):
    return tf.reduce_mean(tf.square(y_pred - y))


batch_size = 64
train_dataset = tf.data.Dataset.from_tensor_slices((x_train_norm, y_train_norm))
train_dataset = train_dataset.batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test_norm, y_test_norm))
test_dataset = test_dataset.batch(batch_size)

# Set training parameters
epochs = 30
learning_rate = 0.01
train_losses, test_losses = [], []

# Format training loop
for epoch in range(epochs):
    batch_losses_train, batch_losses_test = [], []

    # Iterate through the training data
    for x_batch, y_batch in train_dataset:
        with tf.GradientTape() as tape:
            y_pred_batch = lin_reg(x_batch)
            batch_loss = mse_loss(y_pred_batch, y_batch)
        # Update parameters with respect to the gradient calculations
        grads = tape.gradient(batch_loss, lin_reg.variables)
        for g, v in zip(grads, lin_reg.variables):
            v.assign_sub(learning_rate * g)
        # Keep track of batch-level training performance
        batch_losses_train.append(batch_loss)

    # Iterate through the testing data
    for x_batch, y_batch in test_dataset:
        y_pred_batch = lin_reg(x_batch)
        batch_loss = mse_loss(y_pred_batch, y_batch)
        # Keep track of batch-level testing performance
        batch_losses_test.append(batch_loss)

    # Keep track of epoch-level model performance
    train_loss = tf.reduce_mean(batch_losses_train)
    test_loss = tf.reduce_mean(batch_losses_test)
    train_losses.append(train_loss)
    test_losses.append(test_loss)

report("train_losses", [float(v) for v in train_losses], tol=1e-3)
report("test_losses", [float(v) for v in test_losses], tol=1e-3)
report("final_train_loss_str", f"{train_loss:0.3f}")


class ExportModule(tf.Module):
    def __init__(self, model, extract_features, norm_x, norm_y):
        # Initialize pre and postprocessing functions
        self.model = model
        self.extract_features = extract_features
        self.norm_x = norm_x
        self.norm_y = norm_y

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
    def __call__(self, x):
        # Run the ExportModule for new data points
        x = self.extract_features(x)
        x = self.norm_x.norm(x)
        y = self.model(x)
        y = self.norm_y.unnorm(y)
        return y


lin_reg_export = ExportModule(model=lin_reg,
                              extract_features=onehot_origin,
                              norm_x=norm_x,
                              norm_y=norm_y)
direct = lin_reg_export(x_test)
report("export_direct[:10]", direct[:10].numpy(), tol=1e-3)

models = tempfile.mkdtemp()
save_path = os.path.join(models, 'lin_reg_export')
tf.saved_model.save(lin_reg_export, save_path)
report("save_path_is_dir", os.path.isdir(save_path))

lin_reg_loaded = tf.saved_model.load(save_path)
test_preds = lin_reg_loaded(x_test)
report("test_preds.shape", test_preds.shape)
report("test_preds[:10]", test_preds[:10].numpy(), tol=1e-3)
report("loaded_equals_direct", bool(np.allclose(test_preds.numpy(), direct.numpy(), atol=1e-5)))
