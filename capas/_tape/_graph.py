"""Walks over the autograd graph that a `GradientTape` asks about.

The hot path (`tape.gradient` of a loss) never walks the graph; these run only
for `watched_variables()` and for a tape that was `reset()`.
"""

import torch

_NO_SEQ = 2**64 - 1  # AccumulateGrad nodes (leaves) carry no sequence number


def _leaf_variable(node):
    variable = getattr(node, "variable", None)
    return variable if isinstance(variable, torch.Tensor) else None


def accessed_parameters(roots, recorded):
    """Trainable leaves reached from `roots` through nodes that `recorded(node)` accepts.

    Returns `(seq of the first consumer, parameter)` pairs.
    """
    found = {}
    seen = set()
    stack = [(node, _NO_SEQ) for node in roots if node is not None]
    while stack:
        node, consumer = stack.pop()
        variable = _leaf_variable(node)
        if variable is not None:
            if isinstance(variable, torch.nn.Parameter) and variable.requires_grad:
                previous = found.get(id(variable))
                if previous is None or consumer < previous[0]:
                    found[id(variable)] = (consumer, variable)
            continue
        if id(node) in seen or not recorded(node):
            continue
        seen.add(id(node))
        seq = node._sequence_nr()
        for child, _ in node.next_functions:
            if child is not None:
                stack.append((child, seq))
    return list(found.values())


def cut(roots, blocked):
    """Stop gradients at every node whose sequence number `blocked(seq)` accepts.

    A tape blocks what was recorded before its `reset()` and what other tapes
    recorded while it was paused by `stop_recording()`.

    Returns the removable hook handles and the set of ids of the leaves and
    nodes still reachable from `roots` without crossing the cut.
    """
    handles = []
    reachable = set()
    seen = set()
    stack = [node for node in roots if node is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        variable = _leaf_variable(node)
        if variable is not None:
            reachable.add(id(variable))
            continue
        if blocked(node._sequence_nr()):
            handles.append(node.register_prehook(_zeros_hook))
            continue
        reachable.add(id(node))
        stack.extend(child for child, _ in node.next_functions if child is not None)
    return handles, reachable


def _zeros_hook(grad_outputs):
    return tuple(None if g is None else torch.zeros_like(g) for g in grad_outputs)
