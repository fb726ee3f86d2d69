"""The per-variable-list plan `Optimizer.apply` caches, and gradient clipping.

`fit` calls `apply` with the same variables every step, so everything that
depends only on which variables (and which gradients are None) is computed
once: the (device, dtype) groups the `torch._foreach_*` ops run over, each
group's slot lists, the variables that get weight decay, those with a
constraint. Per step only the gradients are gathered into the groups.
"""

import torch

from capas.ops._convert import convert_to_tensor


class Group:
    """Variables of one device and dtype, with their positions and cached slot lists."""

    __slots__ = ("positions", "indices", "variables", "decayed", "_taken", "_ordinals")

    def __init__(self, positions, indices, variables, decayed):
        self.positions = positions  # where each gradient sits in the `apply` arguments
        self.indices = indices  # where each variable sits in the built variable list
        self.variables = variables
        self.decayed = decayed
        self._taken = {}
        self._ordinals = {}  # id of a per-variable list -> the order in which it was first taken

    def take(self, per_variable):
        """This group's entries of a list aligned with the built variables (cached).

        Cached under the order of first use, not under the list's `id`: a compiled step reads the
        slots from this cache, and torch.compile's cache key names where each graph input comes
        from. An address there would differ in every process, and no later process would find
        the step compiled before (AOTAutograd's on-disk cache).
        """
        ordinal = self._ordinals.get(id(per_variable))
        if ordinal is None:
            ordinal = self._ordinals[id(per_variable)] = ("taken", len(self._ordinals))
            self._taken[ordinal] = [per_variable[i] for i in self.indices]
        return self._taken[ordinal]

    def constant(self, value):
        """A cached 0-d tensor holding `value` on this group's device and dtype."""
        key = ("constant", value)
        got = self._taken.get(key)
        if got is None:
            reference = self.variables[0]
            got = self._taken[key] = torch.tensor(value, dtype=reference.dtype, device=reference.device)
        return got


class Plan:
    __slots__ = ("groups", "checks", "missing", "constrained", "positions", "signature")

    def __init__(self, groups, checks, missing, constrained):
        self.groups = groups
        self.checks = checks
        self.missing = missing
        self.constrained = constrained
        self.positions = [position for position, _ in checks]
        # What well-formed gradients look like: compared as whole lists each step.
        self.signature = (
            [v.shape for _, v in checks],
            [v.dtype for _, v in checks],
            [v.get_device() for _, v in checks],
        )


def _describe(variable):
    return getattr(variable, "path", None) or str(getattr(variable, "name", "variable"))


def make_plan(optimizer, grads, variables):
    """Group the variables whose gradient is not None by (device, dtype)."""
    missing = [_describe(v) for g, v in zip(grads, variables) if g is None]
    if len(missing) == len(variables):
        raise ValueError(
            f"{optimizer.__class__.__name__} '{optimizer.name}': no gradients provided for any variable "
            f"(all {len(variables)} gradients are None). Check that the loss depends on the variables."
        )
    by_key = {}
    checks = []
    constrained = []
    for position, (gradient, variable) in enumerate(zip(grads, variables)):
        if gradient is None:
            continue
        index = optimizer._trainable_variables_indices.get(id(variable))
        if index is None:
            raise ValueError(
                f"{optimizer.__class__.__name__} '{optimizer.name}': unknown variable "
                f"'{_describe(variable)}' (shape {tuple(variable.shape)}). This optimizer can only be "
                "called for the variables it was originally built with; create a new optimizer for "
                "a new set of variables."
            )
        checks.append((position, variable))
        if getattr(variable, "constraint", None) is not None:
            constrained.append(variable)
        by_key.setdefault((variable.device, variable.dtype), []).append((position, index, variable))
    groups = []
    for members in by_key.values():
        variables_ = [v for _, _, v in members]
        decayed = []
        if optimizer.weight_decay is not None:
            decayed = [v for v in variables_ if optimizer._use_weight_decay(v)]
        groups.append(Group([p for p, _, _ in members], [i for _, i, _ in members], variables_, decayed))
    return Plan(groups, checks, missing, constrained)


def check_gradients(optimizer, plan, grads):
    """Raise on a gradient shaped unlike its variable; cast/move gradients that need it.

    The common case (every gradient already matches) costs three list comparisons.
    """
    try:
        present = [grads[p] for p in plan.positions]
        shapes, dtypes, devices = plan.signature
        if (
            [g.shape for g in present] == shapes
            and [g.dtype for g in present] == dtypes
            and [g.get_device() for g in present] == devices
        ):
            return grads
    except AttributeError:  # not tensors: convert below
        pass
    out = grads
    for position, variable in plan.checks:
        gradient = grads[position]
        if not isinstance(gradient, torch.Tensor):
            gradient = convert_to_tensor(gradient)
        if gradient.shape != variable.shape:
            raise ValueError(
                f"{optimizer.__class__.__name__} '{optimizer.name}': the gradient for variable "
                f"'{_describe(variable)}' has shape {tuple(gradient.shape)}, but the variable has shape "
                f"{tuple(variable.shape)}. Pass gradients in the same order as the variables (as "
                "returned by tape.gradient(loss, variables))."
            )
        if gradient.dtype != variable.dtype or gradient.device != variable.device:
            gradient = gradient.to(device=variable.device, dtype=variable.dtype)
        if gradient is not grads[position]:
            if out is grads:
                out = list(grads)
            out[position] = gradient
    return out


def clip(optimizer, grad_lists):
    """Keras 3's `clipnorm` (per tensor), `global_clipnorm` or `clipvalue`, out of place."""
    if optimizer.clipnorm and optimizer.clipnorm > 0:
        c = optimizer.clipnorm
        out = []
        for grads in grad_lists:
            denominators = torch._foreach_maximum(torch._foreach_norm(grads), c)
            out.append(torch._foreach_div(torch._foreach_mul(grads, c), denominators))
        return out
    if optimizer.global_clipnorm and optimizer.global_clipnorm > 0:
        c = optimizer.global_clipnorm
        device = grad_lists[0][0].device
        partial = [torch.linalg.vector_norm(torch.stack(torch._foreach_norm(g))).to(device) for g in grad_lists]
        norm = torch.linalg.vector_norm(torch.stack(partial))
        # As Keras: a no-op for finite norms; a non-finite norm makes every gradient NaN.
        scale = c * torch.clamp(1.0 / norm, max=1.0 / c) + (norm - norm)
        return [torch._foreach_mul(g, scale.to(g[0].device, non_blocking=True)) for g in grad_lists]
    if optimizer.clipvalue and optimizer.clipvalue > 0:
        v = optimizer.clipvalue
        return [torch._foreach_clamp_max(torch._foreach_clamp_min(g, -v), v) for g in grad_lists]
    return grad_lists
