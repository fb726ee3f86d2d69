"""`tf.autodiff`: `GradientTape` (reverse mode) and `ForwardAccumulator` (forward mode).

`ForwardAccumulator` runs on PyTorch's forward-mode AD (`torch.autograd.forward_ad`):
entering it gives each watched primal its tangent in place, and the tangents of the
tensors computed inside are kept for `jvp()` after the block ends, as TF keeps them.
"""

from capas.autodiff.forward_accumulator import ForwardAccumulator as ForwardAccumulator
from capas.ops import _missing
from capas.tape import GradientTape as GradientTape

__getattr__ = _missing.make_getattr(__name__, "tf.autodiff")
