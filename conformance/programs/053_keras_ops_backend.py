"""Keras 3 ops and backend helpers as TF 2.16+ tutorials use them (keras.ops, keras.backend).

Source: keras-team/keras-io guides/intro_to_keras_for_engineers.py and
tensorflow/docs site/en/guide/keras (Keras 3 in TensorFlow 2.16+)
Covers: keras.ops arithmetic/reductions/matmul/softmax/one_hot/where/convert_to_numpy on tensors
and arrays, keras.backend.backend(), epsilon(), floatx(), a custom layer written with keras.ops,
keras.utils.to_categorical (dtype) and normalize, keras.backend.get_value/set_value, and
keras.activations by name.
"""
import numpy as np
from _target import keras, layers, report

ops = keras.ops
x = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], dtype="float32")
report("ops.add", ops.add(x, 1.0))
report("ops.sum", ops.sum(x, axis=0))
report("ops.mean", ops.mean(x))
report("ops.matmul", ops.matmul(x, ops.transpose(x)))
report("ops.softmax", ops.softmax(x), tol=1e-6)
report("ops.relu", ops.relu(x))
report("ops.one_hot", ops.one_hot(np.array([0, 2]), 3))
report("ops.where", ops.where(x > 0, x, 0.0))
report("ops.argmax", ops.argmax(x, axis=1))
report("ops.reshape.shape", ops.reshape(x, (3, 2)).shape)
report("ops.convert_to_numpy.type", type(ops.convert_to_numpy(ops.abs(x))).__name__)
report("ops.shape", list(ops.shape(x)))
report("ops.cast.dtype", ops.cast(x, "int32").dtype)
report("floatx", keras.backend.floatx())
report("epsilon", keras.backend.epsilon())


class OpsDense(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return keras.ops.tanh(keras.ops.matmul(inputs, self.w) + self.b)


report("ops_dense", OpsDense(2)(x), tol=1e-6)
labels = keras.utils.to_categorical([0, 2, 1], num_classes=3)
report("to_categorical", labels)
report("to_categorical.dtype", str(labels.dtype))
report("normalize", keras.utils.normalize(np.array([[3.0, 4.0]]), axis=-1), tol=1e-6)
v = keras.Variable(np.array([1.0, 2.0], dtype="float32"))
report("keras.Variable.shape", v.shape)
report("keras.Variable.dtype", v.dtype)
report("get_value", keras.backend.get_value(v))
report("activations.get", keras.activations.get("relu")(np.array([-1.0, 2.0], "float32")))
report("activations.gelu", keras.activations.gelu(np.array([-1.0, 0.5, 2.0], "float32")), tol=1e-5)
report("serialize_activation", keras.activations.serialize(keras.activations.get("relu")))
