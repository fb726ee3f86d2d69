"""tf.function and control flow: AutoGraph loops, tf.TensorArray, tf.print and Python state.

Source: tensorflow/docs site/en/guide/function.ipynb ("AutoGraph transformations",
"Loops", "Accumulating values in a loop") and site/en/guide/intro_to_graphs.ipynb
Covers: a tf.function with a while loop over a tensor condition, for over tf.range, a
data-dependent if, tf.TensorArray write/stack in a loop (RNN-style accumulation), a Python
list vs TensorArray, tf.print inside a function, tf.range/tf.while_loop/tf.cond used directly,
and a tf.function wrapping a Keras layer call.
"""
import numpy as np
from _target import layers, report, tf


@tf.function
def sum_even(items):
    s = 0
    for c in items:
        if c % 2 > 0:
            continue
        s += c
    return s


report("sum_even", sum_even(tf.constant([10, 12, 15, 20])).numpy())


@tf.function
def fizzbuzz_count(n):
    count = 0
    for i in tf.range(1, n + 1):
        if i % 15 == 0:
            count += 1
    return count


report("range_loop", fizzbuzz_count(tf.constant(45)).numpy())


@tf.function
def collatz_steps(x):
    steps = tf.constant(0)
    while x > 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


report("while_loop", collatz_steps(tf.constant(27)).numpy())

batch_size, seq_len, feature_size = 2, 3, 4


def rnn_step(inp, state):
    return inp + state


@tf.function
def dynamic_rnn(rnn_step, input_data, initial_state):
    input_data = tf.transpose(input_data, [1, 0, 2])
    max_seq_len = input_data.shape[0]
    states = tf.TensorArray(tf.float32, size=max_seq_len)
    state = initial_state
    for i in tf.range(max_seq_len):
        state = rnn_step(input_data[i], state)
        states = states.write(i, state)
    return tf.transpose(states.stack(), [1, 0, 2])


input_data = tf.constant(np.arange(batch_size * seq_len * feature_size, dtype="float32").reshape(
    batch_size, seq_len, feature_size))
initial_state = tf.zeros([batch_size, feature_size])
report("dynamic_rnn", dynamic_rnn(rnn_step, input_data, initial_state))

ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
ta = ta.write(0, 10.0)
ta = ta.write(1, 20.0)
ta = ta.write(2, 30.0)
report("ta.read", ta.read(1).numpy())
report("ta.stack", ta.stack())
report("ta.size", int(ta.size()))

i = tf.constant(0)
r = tf.while_loop(lambda i: tf.less(i, 10), lambda i: (tf.add(i, 1),), [i])
report("tf.while_loop", r[0].numpy() if isinstance(r, (list, tuple)) else r.numpy())
report("tf.cond", tf.cond(tf.constant(3) > 2, lambda: tf.constant(1), lambda: tf.constant(0)).numpy())


@tf.function
def with_print(x):
    tf.print("value:", x)
    return x * 2


report("with_print", with_print(tf.constant(2)).numpy())
dense = layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")


@tf.function
def apply_dense(x):
    return dense(x)


report("function_layer", apply_dense(tf.constant([[1.0, 2.0]])))
report("function_layer_again", apply_dense(tf.constant([[3.0, 4.0]])))
