"""`Functional`: a model that is a graph of layer calls on symbolic tensors.

`keras.Model(inputs, outputs)` walks back from the outputs through the nodes
recorded when layers were called on KerasTensors, orders them topologically,
and compiles the order into a flat plan: at run time each step takes its
inputs from a slot table and writes its outputs to it. No graph walking and
no shape inference happen per call.
"""

import numpy as np
import torch

from capas.keras.layers import _symbolic
from capas.keras.layers._symbolic import KerasTensor
from capas.ops import strings as _strings
from capas.keras.layers.core.input_layer import InputLayer
from capas.keras.layers.layer import Layer, _bump_structure
from capas.keras.models.model import Model
from capas.keras.saving.object_registration import register_builtin
from capas.keras.saving._saveables import keras_layer_order
from capas.keras.layers.layer import _to_tensors


class _Step:
    __slots__ = ("layer", "args", "kwargs", "out_slots", "single_slot", "node", "direct")

    def __init__(self, node, slot_of):
        self.node = node
        self.layer = node.layer
        self.args = _symbolic.map_structure(
            lambda t: _Slot(slot_of[id(t)]) if _symbolic.is_keras_tensor(t) else t, node.args
        )
        self.kwargs = _symbolic.map_structure(
            lambda t: _Slot(slot_of[id(t)]) if _symbolic.is_keras_tensor(t) else t, node.kwargs
        )
        self.out_slots = [slot_of[id(t)] for t in node.flat_outputs]
        self.single_slot = None
        if len(node.args) == 1 and not node.kwargs and _symbolic.is_keras_tensor(node.args[0]):
            self.single_slot = slot_of[id(node.args[0])]
        # A layer that keeps Layer.__call__ takes a plain tensor by the short path (Layer._call_plain).
        self.direct = type(self.layer).__call__ is Layer.__call__


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _fill(structure, values):
    if isinstance(structure, _Slot):
        return values[structure.index]
    if isinstance(structure, list):
        return [_fill(x, values) for x in structure]
    if isinstance(structure, tuple):
        return tuple(_fill(x, values) for x in structure)
    if isinstance(structure, dict):
        return {k: _fill(v, values) for k, v in structure.items()}
    return structure


@register_builtin("models")
class Functional(Model):
    """A model defined by `keras.Model(inputs, outputs)`.

    Args:
        inputs: a KerasTensor from `keras.Input`, or a list/dict of them.
        outputs: KerasTensor(s) computed from the inputs: single, list or dict.
        name: the model's name.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **{k: v for k, v in kwargs.items() if k == "dtype"})
        self._init_model_state()
        self._build_graph(inputs, outputs)

    def _build_graph(self, inputs, outputs):
        if isinstance(inputs, dict):
            flat_inputs = list(inputs.values())
        else:
            flat_inputs = _symbolic.flatten(inputs)
        flat_outputs = _symbolic.flatten(outputs)
        for t in flat_inputs + flat_outputs:
            if not _symbolic.is_keras_tensor(t):
                raise ValueError(
                    f"Model '{self.name}': inputs and outputs must be symbolic tensors from keras.Input "
                    f"and layer calls; received {type(t).__name__}. To wrap eager code, subclass keras.Model."
                )
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._flat_inputs = flat_inputs
        self._flat_outputs = flat_outputs
        input_ids = {id(t) for t in flat_inputs}

        order = []
        visited = set()

        def visit(node, path):
            if id(node) in visited:
                return
            if id(node) in path:
                raise ValueError(f"Model '{self.name}': the graph has a cycle at layer '{node.layer.name}'.")
            path.add(id(node))
            if not all(id(t) in input_ids for t in node.flat_outputs):
                for t in node.input_tensors:
                    if id(t) in input_ids:
                        continue
                    if t._keras_history is None:
                        raise ValueError(f"Model '{self.name}': tensor {t} has no history.")
                    layer, index, _ = t._keras_history
                    visit(layer._inbound_nodes[index], path)
                if not node.input_tensors and not isinstance(node.layer, InputLayer):
                    pass
            path.discard(id(node))
            visited.add(id(node))
            order.append(node)

        for t in flat_outputs:
            if id(t) in input_ids:
                continue
            layer, index, _ = t._keras_history
            visit(layer._inbound_nodes[index], set())

        slot_of = {}
        for t in flat_inputs:
            slot_of.setdefault(id(t), len(slot_of))
        steps = []
        for node in order:
            if all(id(t) in input_ids for t in node.flat_outputs):
                continue  # an input node
            for t in node.input_tensors:
                if id(t) not in slot_of:
                    layer = t._keras_history[0]
                    if isinstance(layer, InputLayer):
                        raise ValueError(
                            f"Model '{self.name}': output depends on input '{layer.name}', which is not "
                            "among the model's inputs. Add it to `inputs`."
                        )
                    raise ValueError(f"Model '{self.name}': graph disconnected at tensor {t}.")
            for t in node.flat_outputs:
                slot_of.setdefault(id(t), len(slot_of))
            steps.append(_Step(node, slot_of))
        self._steps = steps
        self._n_slots = len(slot_of)
        self._input_slots = [slot_of[id(t)] for t in flat_inputs]
        self._output_slots = [slot_of[id(t)] for t in flat_outputs]
        self._nodes = order

        # model.layers in Keras 3's order (graph depth, inputs first), which the weights file
        # and the optimizer slots follow; plain attribute, not a tracked container.
        self._set_untracked(_graph_layers=[])
        layers = keras_layer_order(self)
        self._set_untracked(_graph_layers=layers)
        self._input_names = [
            getattr(t, "name", None) or (t._keras_history[0].name if t._keras_history else f"input_{i}")
            for i, t in enumerate(flat_inputs)
        ]
        if isinstance(inputs, dict):
            self._input_names = list(inputs.keys())
        # Register the layers as torch submodules, under their (unique) names.
        for layer in layers:
            key = layer.name
            if key in self._modules and self._modules[key] is not layer:
                raise ValueError(
                    f"Model '{self.name}': two different layers are named '{key}'. Layer names in a "
                    "model must be unique; pass distinct name= arguments."
                )
            self._modules[key] = layer
        _bump_structure()
        self.built = True

    # ------------------------------------------------------------------ graph
    @property
    def layers(self):
        return list(self._graph_layers)

    @property
    def inputs(self):
        return list(self._flat_inputs)

    @property
    def outputs(self):
        return list(self._flat_outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._flat_inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._flat_outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_names(self):
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct.keys())
        return [t._keras_history[0].name for t in self._flat_outputs]

    @property
    def input_names(self):
        return list(self._input_names)

    # ------------------------------------------------------------------- call
    def _standardize_inputs(self, inputs):
        flat_inputs = self._flat_inputs
        if inputs.__class__ is torch.Tensor and len(flat_inputs) == 1:  # the common call: one tensor, as declared
            kt = flat_inputs[0]
            expected = kt.shape
            shape = inputs.shape
            if inputs.dtype is kt.dtype and len(shape) == len(expected):
                for e, s in zip(expected, shape):
                    if e is not None and e != s:
                        break
                else:
                    return [inputs]
        if isinstance(inputs, dict):
            names = self._input_names
            missing = [n for n in names if n not in inputs]
            extra = [k for k in inputs if k not in names]
            if missing or (extra and len(names) > 0):
                raise ValueError(
                    f"Model '{self.name}' expects inputs named {names}; the dict passed "
                    f"{'lacks ' + str(missing) if missing else ''}{' and ' if missing and extra else ''}"
                    f"{'has unknown keys ' + str(extra) if extra else ''}. Use the Input names as keys."
                )
            values = [inputs[n] for n in names]
        elif isinstance(inputs, (list, tuple)) and len(flat_inputs) > 1:
            values = list(inputs)
            if len(values) != len(flat_inputs):
                raise ValueError(
                    f"Model '{self.name}' expects {len(flat_inputs)} inputs {self._input_names}, "
                    f"received {len(values)}."
                )
        else:
            if len(flat_inputs) != 1:
                raise ValueError(
                    f"Model '{self.name}' expects {len(flat_inputs)} inputs {self._input_names}; "
                    "pass a list or a dict keyed by input name."
                )
            values = [inputs[0] if isinstance(inputs, (list, tuple)) and len(inputs) == 1 else inputs]
        out = []
        for kt, x, name in zip(flat_inputs, values, self._input_names):
            if kt.dtype is _strings.string:
                out.append(self._standardize_string_input(kt, x, name))
                continue
            if not isinstance(x, torch.Tensor):
                x = _to_tensors(x, self)
            if x.dtype != kt.dtype and (
                x.is_floating_point()
                and kt.dtype.is_floating_point
                or not kt.dtype.is_floating_point
                and not x.is_floating_point()
            ):
                x = x.to(kt.dtype)
            elif x.dtype != kt.dtype and kt.dtype.is_floating_point:
                x = x.to(kt.dtype)
            shape = x.shape
            expected = kt.shape
            if len(shape) == len(expected) - 1 and expected[-1] == 1:  # Keras: (N,) feeds Input(shape=(1,))
                x = x.unsqueeze(-1)
                shape = x.shape
            elif len(shape) == len(expected) + 1 and shape[-1] == 1:  # and (N, 1) feeds Input(shape=())
                x = x.squeeze(-1)
                shape = x.shape
            if len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected, shape)):
                raise ValueError(
                    f"Input '{name}' of model '{self.name}' expects shape {expected}, but received an "
                    f"input of shape {tuple(shape)}. Reshape the data (e.g. x.reshape(-1, "
                    f"{', '.join(str(e) for e in expected[1:])})) or rebuild the model with "
                    f"keras.Input(shape={tuple(shape[1:])})."
                )
            out.append(x)
        return out

    def _standardize_string_input(self, kt, x, name):
        """A value for a string Input as a StringTensor of the Input's rank ((N,) feeds shape (1,))."""
        if not (isinstance(x, _strings.StringTensor) or _strings.is_string_value(x)):
            raise TypeError(
                f"Input '{name}' of model '{self.name}' has dtype string (keras.Input(dtype='string')), "
                f"but received {type(x).__name__} of dtype {getattr(x, 'dtype', '?')}. Pass strings: a "
                "tf.constant of text, a numpy array of str/bytes, or a tf.data column of strings."
            )
        array = _strings.as_string_tensor(x).numpy()
        array = np.asarray(array, dtype=object)
        expected = kt.shape
        if array.ndim == len(expected) - 1 and expected[-1] == 1:
            array = array[..., None]
        elif array.ndim == len(expected) + 1 and array.shape[-1] == 1:
            array = array[..., 0]
        if array.ndim != len(expected) or any(e is not None and e != s for e, s in zip(expected, array.shape)):
            raise ValueError(
                f"Input '{name}' of model '{self.name}' expects string values of shape {expected}, but "
                f"received shape {array.shape}. Reshape the data or rebuild the model with "
                f"keras.Input(shape={array.shape[1:]}, dtype='string')."
            )
        return _strings.StringTensor._wrap(array)

    def call(self, inputs, training=None, mask=None):
        values = [None] * self._n_slots
        for slot, x in zip(self._input_slots, self._standardize_inputs(inputs)):
            values[slot] = x
        for step in self._steps:
            if step.single_slot is not None:
                x = values[step.single_slot]
                out = step.layer._call_plain(x) if step.direct and x.__class__ is torch.Tensor else step.layer(x)
            else:
                kwargs = _fill(step.kwargs, values)
                if training is not None and "training" in kwargs:
                    # As Keras 3: the model's own training flag (fit: True) overrides a
                    # `training=` written into the graph, e.g. `base_model(x, training=False)`.
                    kwargs["training"] = training
                out = step.layer(*_fill(step.args, values), **kwargs)
            slots = step.out_slots
            if len(slots) == 1:
                values[slots[0]] = out
            else:
                for slot, value in zip(slots, _symbolic.flatten(out)):
                    values[slot] = value
        if self._outputs_struct.__class__ is KerasTensor:  # one output, as most models have
            return values[self._output_slots[0]]
        outs = iter([values[s] for s in self._output_slots])
        return _symbolic.map_structure(lambda _: next(outs), self._outputs_struct)

    # ----------------------------------------------------------------- config
    def get_config(self):
        # in-function: import cycle keras.models._functional_config -> this module
        from capas.keras.models._functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        # in-function: import cycle keras.models._functional_config -> this module
        from capas.keras.models._functional_config import functional_from_config

        return functional_from_config(cls, config, custom_objects=custom_objects)
