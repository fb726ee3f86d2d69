"""PyTorch's fused recurrent kernels (`torch.lstm`, `torch.gru`, `torch.rnn_tanh/relu`).

The cells keep Keras's weight layout; they hand these functions torch-layout
views of their Variables (`kernel.t()`, and for GRU a gate reordering by
`torch.cat`), built inside the call, so gradients flow to the Keras Variables.
A right-padded mask becomes sequence lengths and a packed sequence; every
other mask takes the cell loop in `rnn.py`.
"""

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

_KERNELS = {
    "lstm": torch.lstm,
    "gru": torch.gru,
    "rnn_tanh": torch.rnn_tanh,
    "rnn_relu": torch.rnn_relu,
}


def right_padded_lengths(mask):
    """`(usable, lengths)` for a boolean `(batch, timesteps)` mask.

    usable: the mask is right-padded with no empty row (the fused kernels can
    run it); lengths: CPU lengths `(batch,)`, or None when nothing is padded.
    One device-to-host read per call: the packed kernels need host lengths anyway.
    """
    lengths = mask.sum(dim=1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    if not torch.equal(mask, steps[None, :] < lengths[:, None]):
        return False, None
    lengths = lengths.cpu()
    shortest = int(lengths.min())
    if shortest == 0:
        return False, None
    return True, (None if shortest == mask.shape[1] else lengths)


def run(kind, x, states, params, has_biases, lengths, training):
    """Run one layer of the `kind` kernel over batch-first `x`.

    Args:
        kind: 'lstm', 'gru', 'rnn_tanh' or 'rnn_relu'.
        x: `(batch, timesteps, features)`.
        states: `[h]` or `[h, c]` (LSTM), each `(batch, units)`.
        params: `[w_ih, w_hh]` (+ `[b_ih, b_hh]` when `has_biases`), torch layout.
        lengths: CPU lengths for a right-padded batch, or None.

    Returns:
        `(outputs (batch, timesteps, units), [final states])`; padded steps of
        `outputs` are zero.
    """
    kernel = _KERNELS[kind]
    hx = [s.unsqueeze(0) for s in states]
    hx = tuple(hx) if kind == "lstm" else hx[0]
    if lengths is None:
        result = kernel(x, hx, params, has_biases, 1, 0.0, training, False, True)
        return result[0], [s.squeeze(0) for s in result[1:]]
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    order = packed.sorted_indices
    if kind == "lstm":
        hx = tuple(h.index_select(1, order) for h in hx)
    else:
        hx = hx.index_select(1, order)
    result = kernel(packed.data, packed.batch_sizes, hx, params, has_biases, 1, 0.0, training, False)
    out = PackedSequence(result[0], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
    outputs, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    finals = [s.index_select(1, packed.unsorted_indices).squeeze(0) for s in result[1:]]
    return outputs, finals
