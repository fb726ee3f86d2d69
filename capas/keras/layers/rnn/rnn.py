"""`RNN`: runs a cell over the time axis (fused PyTorch kernel or a step loop)."""

import numpy as np
import torch

from capas._nest import flatten
from capas.keras.layers import _symbolic
from capas.keras.layers.layer import Layer, _signature
from capas.keras.layers.rnn import _fused
from capas.keras.layers.rnn._dropout import DropoutRNNCell
from capas.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving.serialization_lib import serialize_keras_object
from capas.keras.saving.serialization_lib import deserialize_keras_object
from capas.ops._convert import as_torch_dtype


def pack_as(structure, flat):
    """Rebuild the nested lists/tuples of `structure` from the flat list `flat`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, (list, tuple)):
            return type(s)(build(x) for x in s)
        return next(it)

    return build(structure)


def check_sequences_shape(layer, shape):
    """Raise a ValueError naming `layer` unless `shape` is (batch, timesteps, ...)."""
    if len(shape) < 3:
        raise ValueError(
            f"Input 0 of layer '{layer.name}' ({type(layer).__name__}) is incompatible with the layer: "
            f"expected a 3-D input (batch_size, timesteps, features), received a {len(shape)}-D input "
            f"of shape {tuple(shape)}. Give the input a time axis: for a single step use "
            "`x[:, None, :]`, for a feature vector per step reshape to (batch_size, timesteps, features)."
        )


@register_builtin("layers")
class RNN(Layer):
    """Base class for recurrent layers: applies `cell` to every timestep.

    When the cell is a built-in one (`LSTMCell`, `GRUCell`, `SimpleRNNCell`)
    in its default form (tanh/sigmoid activations, no recurrent dropout while
    training, `unroll=False`, no mask or a right-padded mask, GRU with
    `reset_after=True`), the whole sequence runs in PyTorch's fused kernel;
    otherwise in a step loop with the same numbers.

    Args:
        cell: an RNN cell (a layer with `call(inputs, states)`, `state_size`
            and optionally `output_size` and `get_initial_state`), or a list
            of cells (stacked with `StackedRNNCells`).
        return_sequences: return the full sequence of outputs (default: the last one).
        return_state: also return the final states.
        go_backwards: process the sequence backwards (outputs stay in reversed order).
        stateful: carry the final states of a batch over to the next batch
            (reset with `reset_states()`); needs a fixed batch size.
        unroll: accepted; the step loop is Python either way.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: a 3-D tensor `(batch_size, timesteps, features)`.
        initial_state: optional list of initial state tensors.
        mask: optional boolean `(batch_size, timesteps)`; masked steps carry the state over.
        training: enables dropout.

    Input shape:
        3-D tensor `(batch_size, timesteps, features)`.

    Output shape:
        `(batch_size, units)`, or `(batch_size, timesteps, units)` with
        `return_sequences`; with `return_state`, followed by the states.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RNN(layers.LSTMCell(4))(tf.ones((2, 3, 5))).shape
    torch.Size([2, 4])

    Differs from Keras: `unroll` changes nothing (both paths run the same loop).
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        super().__init__(**kwargs)
        if not callable(getattr(cell, "call", None)) and not callable(cell):
            raise ValueError(f"RNN '{self.name}': `cell` needs a `call` method; received {cell!r}.")
        state_size = getattr(cell, "state_size", None)
        if not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                f"RNN '{self.name}': the cell {type(cell).__name__} needs a `state_size` attribute "
                f"(an int or a list of ints, one per state); received {state_size!r}."
            )
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.state_size = [state_size] if isinstance(state_size, int) else list(state_size)
        self.single_state = isinstance(state_size, int)
        self._set_untracked(states=None)
        self._set_untracked(_use_fused="auto")

    # ------------------------------------------------------------------ build
    def build(self, sequences_shape, initial_state_shape=None):
        check_sequences_shape(self, sequences_shape)
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._maybe_build((_ShapeOnly(step_shape),), {})
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}' is stateful, so it needs a fixed batch size; received "
                    f"input shape {tuple(sequences_shape)}. Pass `batch_size=` to keras.Input (or "
                    "`batch_input_shape`)."
                )
            self._set_untracked(states=[s.detach() for s in flatten(self.get_initial_state(sequences_shape[0]))])

    def get_initial_state(self, batch_size):
        """Zero states for `batch_size` (or the cell's own `get_initial_state`)."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            state = fn(batch_size=batch_size)
            return list(state) if isinstance(state, (list, tuple)) else [state]
        dtype = _compute_dtype(self.cell)
        return [torch.zeros((batch_size, d), dtype=dtype, device=self._weights_device()) for d in self.state_size]

    def reset_state(self):
        """Zero the carried states of a stateful RNN."""
        if self.states is not None:
            self._set_untracked(states=[torch.zeros_like(s) for s in self.states])

    def reset_states(self):
        self.reset_state()

    # ------------------------------------------------------------------- call
    def call(self, sequences, initial_state=None, mask=None, training=False):
        check_sequences_shape(self, sequences.shape)
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        batch = sequences.shape[0]
        structure = self.get_initial_state(batch) if initial_state is None or self.stateful else None
        if initial_state is None:
            if self.stateful and self.states is not None:
                if self.states[0].shape[0] != batch:
                    raise ValueError(
                        f"{type(self).__name__} '{self.name}' is stateful with batch size "
                        f"{self.states[0].shape[0]}, but it received a batch of {batch} (input shape "
                        f"{tuple(sequences.shape)}). Feed batches of the size it was built for."
                    )
                initial_state = pack_as(structure, self.states)
            else:
                initial_state = structure
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        # numpy states are accepted as TF accepts any tensor-like (issue 12)
        initial_state = [
            convert_to_tensor(s, dtype=sequences.dtype) if isinstance(s, np.ndarray) else s for s in initial_state
        ]
        self._config_dropout_masks(self.cell, sequences[:, 0], initial_state, training)
        try:
            last_output, outputs, states = self._run(sequences, initial_state, mask, training)
        finally:
            _reset_dropout_masks(self.cell)
        if self.stateful and not _symbolic.in_symbolic_call():
            self._set_untracked(states=[s.detach() for s in flatten(states)])
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            if mask is not None and self.return_sequences:
                output._keras_mask = mask
            return (output, *states)
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        return mask if self.return_sequences else None

    def _run(self, sequences, states, mask, training):
        """`(last_output, outputs, final_states)`, by the fused kernel or the loop."""
        fused = self._try_fused(sequences, states, mask, training)
        if fused is not None:
            return fused
        return self._loop(sequences, states, mask, training)

    def _try_fused(self, sequences, states, mask, training):
        can = getattr(self.cell, "_can_fuse", None)
        ok = self._use_fused is not False and not self.unroll and can is not None and can(bool(training))
        lengths = None
        if ok and mask is not None:
            if self.go_backwards:
                ok = False
            elif not _symbolic.in_symbolic_call():
                ok, lengths = _fused.right_padded_lengths(mask.to(torch.bool))
        if not ok:
            if self._use_fused is True:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}' was asked for the fused kernel (use_cudnn=True), but "
                    "its configuration needs the step loop (non-default activations, recurrent dropout, "
                    "unroll, or a mask that is not right-padded). Pass use_cudnn='auto'."
                )
            return None
        x = sequences.flip(1) if self.go_backwards else sequences
        dp_mask = self.cell.__dict__.get("_dropout_mask") if training else None
        if dp_mask is not None:
            x = x * dp_mask.unsqueeze(1)
        outputs, finals = self.cell._fused_call(x, states, lengths, bool(training))
        if lengths is not None:
            keep = mask.to(torch.bool).unsqueeze(-1)
            fill = torch.zeros_like(outputs) if self.zero_output_for_mask else finals[0].unsqueeze(1)
            outputs = torch.where(keep, outputs, fill)
        return outputs[:, -1], outputs, finals

    def _loop(self, sequences, states, mask, training):
        cell = self.cell
        if isinstance(cell, Layer):
            step_fn = cell.call
            pass_training = _signature(type(cell))[0].has_training
        else:
            step_fn = cell
            pass_training = False
        kwargs = {"training": training} if pass_training else {}
        x = sequences.flip(1) if self.go_backwards else sequences
        if mask is not None:
            mask = mask.to(torch.bool)
            if self.go_backwards:
                mask = mask.flip(1)
        outputs = []
        prev = None
        for t, x_t in enumerate(x.unbind(1)):
            output, new_states = step_fn(x_t, states, **kwargs)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            if mask is not None:
                m = mask[:, t]
                if self.zero_output_for_mask or prev is None:
                    other = torch.zeros_like(output)
                else:
                    other = prev
                output = torch.where(_per_sample(m, output), output, other)
                flat = [torch.where(_per_sample(m, n), n, s) for n, s in zip(flatten(new_states), flatten(states))]
                new_states = pack_as(new_states, flat)
            states = new_states
            prev = output
            if self.return_sequences or t == x.shape[1] - 1:
                outputs.append(output)
        last_output = outputs[-1]
        stacked = torch.stack(outputs, dim=1) if self.return_sequences else last_output.unsqueeze(1)
        return last_output, stacked, list(states)

    def _config_dropout_masks(self, cell, step_input, states, training):
        if not training:
            return
        if isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(step_input)
            state = states[0] if isinstance(states, (list, tuple)) else states
            cell.get_recurrent_dropout_mask(state)
        elif isinstance(cell, StackedRNNCells):
            for c, s in zip(cell.cells, states):
                self._config_dropout_masks(c, step_input, s if isinstance(s, (list, tuple)) else [s], training)
                step_input, _ = c.call(step_input, list(s) if isinstance(s, (list, tuple)) else [s])

    # ----------------------------------------------------------------- config
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
            }
        )
        config["cell"] = serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _per_sample(mask, like):
    """A `(batch,)` mask shaped to broadcast over `like` `(batch, ...)`."""
    return mask.view((mask.shape[0],) + (1,) * (like.dim() - 1))


class _ShapeOnly:
    def __init__(self, shape):
        self.shape = tuple(shape)


def _compute_dtype(cell):
    name = getattr(cell, "compute_dtype", None) or "float32"
    return as_torch_dtype(name)


def _reset_dropout_masks(cell):
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    elif isinstance(cell, StackedRNNCells):
        for c in cell.cells:
            _reset_dropout_masks(c)
