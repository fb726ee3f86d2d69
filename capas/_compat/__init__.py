"""The places where capas adjusts torch's classes so that TensorFlow code runs on them.

capas tensors are plain `torch.Tensor`s (DESIGN.md, decision 1), so what TensorFlow code
asks of a tensor has to be answered by torch's own classes. Each module here installs one
group of additions when capas is imported; each is listed in docs/interop.md with what it
costs and how it differs from torch's behaviour.

* `tensor_methods`: `numpy()` / `float()` inside a tape, 0-d `numpy()` as a numpy scalar,
  negative slice steps.
* `numpy_interop`: operators with numpy arrays and lists on either side, numpy functions
  returning numpy values, `np.array(t, copy=...)`.
* `shape_dtype`: `t.shape.as_list()`, `.rank`, `t.dtype.name`, `t.get_shape()`,
  `torch.float32 == "float32"`.
"""

from capas._compat import numpy_interop, shape_dtype, tensor_methods


def install():
    tensor_methods.install()
    numpy_interop.install()
    shape_dtype.install()
