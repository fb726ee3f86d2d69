"""keras.ops.rearrange: einops' pattern language for reordering, splitting and merging axes.

A pattern is `"left -> right"`; each side lists axes by name, with parentheses
grouping several names into one axis (`"(h w)"`). Names in a group on the left
split an axis (give all but one of their lengths as keywords); groups on the
right merge axes. Every name must appear on both sides. `...` stands for the
axes not named (at most once per side)."""

import math
import re


from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t

_TOKEN = re.compile(r"\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\S")
_ELLIPSIS = "..."


def _parse_side(side, pattern):
    """`"b (h w) c"` -> [["b"], ["h", "w"], ["c"]]; `...` is its own group."""
    groups, current = [], None
    for token in _TOKEN.findall(side):
        if token == "(":
            if current is not None:
                raise ValueError(f"rearrange: nested parentheses are not allowed in pattern {pattern!r}.")
            current = []
        elif token == ")":
            if current is None:
                raise ValueError(f"rearrange: unmatched ')' in pattern {pattern!r}.")
            groups.append(current)
            current = None
        elif token == _ELLIPSIS or re.fullmatch(r"[A-Za-z_]\w*", token):
            if token == _ELLIPSIS and current is not None:
                raise ValueError(f"rearrange: '...' cannot be inside parentheses in pattern {pattern!r}.")
            if current is None:
                groups.append([token])
            else:
                current.append(token)
        else:
            raise ValueError(
                f"rearrange: unexpected {token!r} in pattern {pattern!r}; use axis names, '(', ')' and '...'."
            )
    if current is not None:
        raise ValueError(f"rearrange: unmatched '(' in pattern {pattern!r}.")
    names = [name for group in groups for name in group]
    repeated = {name for name in names if names.count(name) > 1}
    if repeated:
        raise ValueError(f"rearrange: axis names {sorted(repeated)} appear twice on one side of {pattern!r}.")
    return groups


@keras_op
def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges the axes of `tensor` as the einops `pattern` says.

    Example:

    >>> from capas import keras
    >>> images = keras.ops.zeros((32, 30, 40, 3))
    >>> tuple(keras.ops.rearrange(images, "b h w c -> b c h w").shape)
    (32, 3, 30, 40)
    >>> tuple(keras.ops.rearrange(images, "b h w c -> (b h) w c").shape)
    (960, 40, 3)
    >>> tuple(keras.ops.rearrange(images, "b (h1 h) w c -> b h (w h1) c", h1=2).shape)
    (32, 15, 80, 3)
    """
    x = _t(tensor)
    if pattern.count("->") != 1:
        raise ValueError(f"rearrange: the pattern must have one '->' between input and output axes; got {pattern!r}.")
    left_text, right_text = pattern.split("->")
    left, right = _parse_side(left_text, pattern), _parse_side(right_text, pattern)
    left_names = [n for g in left for n in g]
    right_names = [n for g in right for n in g]
    if set(left_names) != set(right_names):
        raise ValueError(
            f"rearrange: every axis must appear on both sides of {pattern!r}; "
            f"only on the left: {sorted(set(left_names) - set(right_names))}, "
            f"only on the right: {sorted(set(right_names) - set(left_names))}."
        )
    unknown = set(axes_lengths) - set(left_names)
    if unknown:
        raise ValueError(f"rearrange: axes_lengths names {sorted(unknown)} are not in the pattern {pattern!r}.")

    named = len(left) - (1 if [_ELLIPSIS] in left else 0)
    if (x.dim() != named and [_ELLIPSIS] not in left) or x.dim() < named:
        raise ValueError(
            f"rearrange: the pattern {pattern!r} names {named} input axes but the tensor has shape {tuple(x.shape)}."
        )
    lengths = dict(axes_lengths)
    ellipsis_shape = ()
    dims = iter(x.shape)
    for group in left:
        if group == [_ELLIPSIS]:
            ellipsis_shape = tuple(next(dims) for _ in range(x.dim() - named))
            continue
        size = next(dims)
        missing = [n for n in group if n not in lengths]
        known = math.prod(lengths[n] for n in group if n in lengths)
        if len(missing) > 1:
            raise ValueError(f"rearrange: give the lengths of all but one of {group} (axes_lengths) for {pattern!r}.")
        if missing:
            if known == 0 or size % known:
                raise ValueError(
                    f"rearrange: axis of size {size} cannot split into {group} with lengths {axes_lengths}."
                )
            lengths[missing[0]] = size // known
        elif known != size:
            raise ValueError(f"rearrange: axis {group} has size {size}, but axes_lengths give {known}.")

    def sizes(name):
        return ellipsis_shape if name == _ELLIPSIS else (lengths[name],)

    def spans(names):
        return [d for n in names for d in sizes(n)]

    x = x.reshape(spans(left_names))
    position, start = {}, 0
    for name in left_names:
        position[name] = list(range(start, start + len(sizes(name))))
        start += len(sizes(name))
    x = x.permute([p for name in right_names for p in position[name]])
    out_shape = []
    for group in right:
        if group == [_ELLIPSIS]:
            out_shape.extend(ellipsis_shape)  # the axes `...` stands for stay separate
        else:
            out_shape.append(math.prod(spans(group)))
    return x.reshape(out_shape)
