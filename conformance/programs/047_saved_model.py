"""The SavedModel format: saving a tf.Module with tf.functions and loading it back.

Source: tensorflow/docs site/en/guide/saved_model.ipynb
Covers: a CustomModule with a variable and @tf.function methods (one with input_signature),
tf.saved_model.save(module, path), tf.saved_model.load, calling restored functions, the
restored variable value, assign through a restored function, and tf.saved_model.save of a
module with a signatures= serving function and its structured outputs.
"""
import os
import tempfile

from _target import report, tf


class CustomModule(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.0)

    @tf.function
    def __call__(self, x):
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


module = CustomModule()
report("call", module(tf.constant(3.0)).numpy())
module_no_signatures_path = os.path.join(tempfile.mkdtemp(), "module_no_signatures")
module(tf.constant(0.0))
tf.saved_model.save(module, module_no_signatures_path)
report("saved_is_directory", os.path.isdir(module_no_signatures_path))

imported = tf.saved_model.load(module_no_signatures_path)
report("restored_call", imported(tf.constant(3.0)).numpy())
imported.mutate(tf.constant(2.0))
report("after_mutate", imported(tf.constant(3.0)).numpy())
report("restored_v", imported.v.numpy())


class Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(4.0)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def serve(self, x):
        return {"scaled": x * self.scale}


scaler = Scaler()
path = os.path.join(tempfile.mkdtemp(), "scaler")
tf.saved_model.save(scaler, path, signatures=scaler.serve)
loaded = tf.saved_model.load(path)
report("signature_keys", list(loaded.signatures.keys()))
infer = loaded.signatures["serving_default"]
out = infer(x=tf.constant([1.0, 2.0]))
report("serving_output_keys", sorted(out.keys()))
report("serving_output", out["scaled"])
report("loaded_serve", loaded.serve(tf.constant([3.0]))["scaled"])
