"""CTC: `tf.nn.ctc_loss` on torch's CTC kernel and `tf.nn.ctc_greedy_decoder`."""

import torch
import torch.nn.functional as F

from capas.ops._recording import op
from capas.ops._utils import to_tensor
from capas.sparse.sparse_tensor import SparseTensor


def _dense_labels(labels):
    if hasattr(labels, "indices") and hasattr(labels, "dense_shape"):  # a SparseTensor
        shape = [int(v) for v in labels.dense_shape.tolist()]
        dense = torch.zeros(shape, dtype=torch.int64)
        dense[labels.indices[:, 0], labels.indices[:, 1]] = labels.values.to(torch.int64)
        lengths = torch.zeros(shape[0], dtype=torch.int64)
        for row in range(shape[0]):
            columns = labels.indices[labels.indices[:, 0] == row, 1]
            lengths[row] = int(columns.max()) + 1 if len(columns) else 0
        return dense, lengths
    return to_tensor(labels).to(torch.int64), None


@op
def ctc_loss(
    labels, logits, label_length, logit_length, logits_time_major=True, unique=None, blank_index=None, name=None
):
    """The connectionist temporal classification loss: `-log p(labels | logits)` per example.

    Args:
        labels: `[batch, max_label_length]` int labels (or a SparseTensor).
        logits: `[time, batch, classes]` unnormalized (`[batch, time, classes]` with `logits_time_major=False`).
        label_length: `[batch]` label lengths (None with sparse labels).
        logit_length: `[batch]` input lengths.
        blank_index: the blank class (default 0; negative counts from the end).

    Returns:
        `[batch]` losses.
    """
    logits = to_tensor(logits)
    if not logits_time_major:
        logits = logits.transpose(0, 1)
    classes = logits.shape[-1]
    blank = 0 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    dense, sparse_lengths = _dense_labels(labels)
    lengths = sparse_lengths if label_length is None else to_tensor(label_length).to(torch.int64)
    if lengths is None:
        raise ValueError("tf.nn.ctc_loss: `label_length` is required with dense labels.")
    input_lengths = to_tensor(logit_length).to(torch.int64)
    log_probs = F.log_softmax(logits.float() if logits.dtype == torch.float16 else logits, dim=-1)
    return F.ctc_loss(log_probs, dense, input_lengths, lengths, blank=blank, reduction="none", zero_infinity=False)


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding of `[time, batch, classes]` logits (blank: the last class by default, as TF).

    Returns:
        `([decoded], neg_sum_logits)`: a SparseTensor `[batch, max_decoded_length]` of class ids, and
        `[batch, 1]` minus the sum over time of each step's largest logit.
    """
    logits = to_tensor(inputs).detach()
    time, batch, classes = logits.shape
    blank = classes - 1 if blank_index is None else int(blank_index) % classes
    lengths = to_tensor(sequence_length).to(torch.int64).tolist()
    best_values, best = logits.max(dim=-1)
    indices, values, longest = [], [], 0
    neg_sum = torch.zeros(batch, 1, dtype=logits.dtype)
    for b in range(batch):
        steps = lengths[b]
        neg_sum[b, 0] = -best_values[:steps, b].sum()
        previous, out = None, []
        for t in range(steps):
            c = int(best[t, b])
            if c != blank and not (merge_repeated and c == previous):
                out.append(c)
            previous = c
        for i, c in enumerate(out):
            indices.append([b, i])
            values.append(c)
        longest = max(longest, len(out))
    decoded = SparseTensor(
        torch.tensor(indices, dtype=torch.int64).reshape(-1, 2),
        torch.tensor(values, dtype=torch.int64),
        [batch, longest],
    )
    return [decoded], neg_sum
