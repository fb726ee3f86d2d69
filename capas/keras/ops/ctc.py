"""keras.ops' CTC ops: the loss (torch's `F.ctc_loss`) and the greedy and beam-search decoders."""

import math

import torch
import torch.nn.functional as F

from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t

_PAD = -1


def _float(x):
    x = _t(x)
    return x if x.dtype == torch.float64 else x.to(torch.float32)


@keras_op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC loss per batch entry, from `output` logits `(batch, time, classes)` (softmax applied here).

    `target` is `(batch, max_label_length)` integer labels, `target_length` and
    `output_length` the valid lengths, `mask_index` the blank class.

    Example:

    >>> from capas import keras
    >>> loss = keras.ops.ctc_loss([[1, 2]], keras.ops.zeros((1, 4, 3)), [2], [4])
    >>> round(float(loss[0]), 4)  # -log(15 alignments / 3**4)
    1.6864
    """
    output = _float(output)
    log_probs = F.log_softmax(output.transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        _t(target).to(torch.int64),
        _t(output_length).to(torch.int64),
        _t(target_length).to(torch.int64),
        blank=mask_index,
        reduction="none",
    )


@keras_op
def ctc_decode(
    inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True, mask_index=0
):
    """Decodes `(batch, time, classes)` scores into label sequences, as Keras does.

    Returns `(decoded, scores)`: `decoded` is `(top_paths, batch, time)` int32,
    labels first and -1 after; `scores` is `(batch, top_paths)`. "greedy"
    takes the best class per step (its score: minus the sum of the chosen
    inputs); "beam_search" keeps `beam_width` prefixes (scores: log-probabilities).

    Example:

    >>> from capas import keras
    >>> import numpy as np
    >>> x = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]], "float32"))
    >>> keras.ops.ctc_decode(x, [4])[0][0].tolist()
    [[1, 2, -1, -1]]
    """
    inputs = _float(inputs)
    lengths = _t(sequence_lengths).to(torch.int64)
    if strategy == "greedy":
        return _greedy(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    raise ValueError(f"ctc_decode: invalid strategy {strategy!r}; use 'greedy' or 'beam_search'.")


def _greedy(inputs, lengths, merge_repeated, mask_index):
    batch, steps, classes = inputs.shape
    if mask_index is None:
        mask_index = classes - 1
    scores, best = inputs.max(dim=-1)
    best = best.to(torch.int32)
    beyond = torch.arange(steps, device=inputs.device)[None, :] >= lengths[:, None]
    best = torch.where(beyond, mask_index, best)
    scores = torch.where(beyond, torch.zeros_like(scores), scores)
    if merge_repeated:
        repeated = F.pad(best[:, 1:] == best[:, :-1], (1, 0))
        best = torch.where(repeated, mask_index, best)
    blank = best == mask_index
    best = torch.where(blank, _PAD, best)
    # Labels keep their order and move to the front; the -1 entries follow (a stable sort by blankness).
    order = torch.argsort(blank.to(torch.int8), dim=-1, stable=True)
    decoded = torch.take_along_dim(best, order, dim=-1)
    return decoded.unsqueeze(0), -scores.sum(dim=1, keepdim=True)


def _beam_search(inputs, lengths, beam_width, top_paths, mask_index):
    """Prefix beam search over log-softmax scores, one batch entry at a time.

    Each beam is a prefix with two log-probabilities: ending in a label ("emit") or
    in a blank. Extending with the same label as the prefix's last one, after an
    emit ending, collapses into the same prefix (CTC's merge rule)."""
    batch, steps, classes = inputs.shape
    if mask_index is None:
        mask_index = classes - 1
    log_probs = F.log_softmax(inputs, dim=-1).cpu()
    neg_inf = float("-inf")
    all_paths, all_scores = [], []
    for b in range(batch):
        x = log_probs[b].tolist()
        beams = _first_beams(x[0], classes, beam_width, mask_index)
        for t in range(1, int(lengths[b])):
            merged = {}
            for prefix, (emit, blank) in beams.items():
                total = _logaddexp(emit, blank)
                for c in range(classes):
                    score = x[t][c]
                    if c == mask_index:
                        _add(merged, prefix, neg_inf, total + score)
                    elif prefix and prefix[-1] == c:
                        _add(merged, prefix, emit + score, neg_inf)  # repeat without a blank: same prefix
                        _add(merged, prefix + (c,), blank + score, neg_inf)
                    else:
                        _add(merged, prefix + (c,), total + score, neg_inf)
            ranked = sorted(merged.items(), key=lambda item: _logaddexp(*item[1]), reverse=True)
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda item: _logaddexp(*item[1]), reverse=True)[:top_paths]
        paths = torch.full((top_paths, steps), _PAD, dtype=torch.int32)
        scores = torch.full((top_paths,), neg_inf, dtype=inputs.dtype)
        for k, (prefix, (emit, blank)) in enumerate(ranked):
            paths[k, : len(prefix)] = torch.tensor(prefix, dtype=torch.int32)
            scores[k] = _logaddexp(emit, blank)
        all_paths.append(paths)
        all_scores.append(scores)
    decoded = torch.stack(all_paths, dim=1).to(inputs.device)
    return decoded, torch.stack(all_scores).to(inputs.device)


def _first_beams(x0, classes, beam_width, mask_index):
    neg_inf = float("-inf")
    best = sorted(range(classes), key=lambda c: x0[c], reverse=True)[: min(classes, beam_width)]
    beams = {}
    for c in best:
        if c == mask_index:
            _add(beams, (), neg_inf, x0[c])
        else:
            _add(beams, (c,), x0[c], neg_inf)
    return beams


def _add(beams, prefix, emit, blank):
    old = beams.get(prefix)
    beams[prefix] = (emit, blank) if old is None else (_logaddexp(old[0], emit), _logaddexp(old[1], blank))


def _logaddexp(a, b):
    if a == float("-inf"):
        return b
    if b == float("-inf"):
        return a
    high, low = (a, b) if a > b else (b, a)
    return high + math.log1p(math.exp(low - high))
