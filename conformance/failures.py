#!/usr/bin/env python3
"""Write conformance/FAILURES.md from a `run.py --json` result, failures grouped by area.

Usage (from the project root):
    python conformance/run.py -j 2 --json /tmp/conformance.json
    python conformance/failures.py /tmp/conformance.json

A failure's area comes from a hand diagnosis (DIAGNOSED, while its reason still matches), else
the first rule whose pattern occurs in its first difference or exception, else the program's
own area (its number range).
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (area, regular expression searched in the failure's reason, then in its key)
RULES = [
    ("strings", r"type str to a tensor|tf\.strings|StringTensor"),
    ("tf.Module / checkpoint / saved_model", r"tf\.Module|tf\.train|saved_model|Checkpoint"),
    ("ragged / sparse", r"tf\.ragged|tf\.sparse|Ragged|Sparse"),
    ("tf core names (errors, random, slicing ops)", r"tf\.errors|tf\.random|strided_slice|\"InvalidArgumentError\""),
    (
        "tensor idioms: dtype names, shapes, negative steps",
        r"torch\.(float|int|bool|uint|complex)|step must be greater|set_shape|get_shape|as_list",
    ),
    ("numpy interop", r"operand type|unhashable type: 'numpy|argument 'dim'|__array__|ndarray"),
    ("keras.utils data tools", r"pad_sequences|_dataset_from_directory|timeseries_dataset|get_file|split_dataset"),
    ("Keras 3 namespaces (keras.ops, keras.random, ...)", r"keras' has no attribute|keras\.ops|keras\.random"),
    ("saving", r"\.h5|register_keras_serializable|save|load_model"),
    ("tf.data", r"Dataset|capas\.data|element_spec"),
    ("keras preprocessing layers", r"^norm|normalizer|lookup|vectoriz"),
    ("keras logs and metrics", r"history|metrics_names|compile_metrics|_keys|events|evaluate"),
]

# Failures diagnosed by hand: (program number, fragment of its reason, area, note). Applied only
# while the reason still contains the fragment, so a note never outlives the failure it explains.
DIAGNOSED = [
    ("007", "reset_dy_none", "GradientTape", "tape.reset() must drop what was recorded before it"),
    ("009", "type str to a tensor", "tf.function", "traced with a string tensor; also strings"),
    (
        "021",
        "my_dense_vars",
        "keras: variable names",
        "Keras 3 names add_weight variables by the short name ('kernel'), not 'layer/kernel:0'",
    ),
    (
        "026",
        "dataset_history_loss",
        "keras: fit loop",
        "fit(ds.repeat(), steps_per_epoch=3) on a 4-batch dataset:"
        " Keras keeps one iterator across epochs (epoch 2 starts at batch 4); capas seems to restart it",
    ),
    (
        "034",
        "bn_stats_after_finetune",
        "keras: functional call arguments",
        "Keras 3 lets fit's training=True "
        "override the training=False given when the base model was called in the graph, so the BatchNorm moving "
        "statistics do change during fine-tuning (the guide's text says otherwise; the recorded TF run is the reference)",
    ),
    ("044", "argument 'dim'", "numpy interop", "np.min/np.max on a tensor"),
    ("045", "unhashable type", "numpy interop", "a 0-d tensor's .numpy() must give a numpy scalar (hashable)"),
    (
        "046",
        "Functional.__init__()",
        "keras: Model subclass construction",
        "a keras.Model subclass whose __init__ "
        "takes two positional arguments (latent_dim, shape) is routed to Functional.__init__",
    ),
    (
        "056",
        "'int' object has no attribute 'numpy'",
        "tf.function",
        "AutoGraph: a Python `if` on a tensor inside tf.function returning the Python int 0 must come back as a tensor",
    ),
    (
        "057",
        "'tuple' object has no attribute 'numpy'",
        "tf.data",
        "from_generator with output_signature=TensorSpec(shape=(1,)) must turn each yielded tuple into one tensor",
    ),
    (
        "057",
        "yielded an element of shape ()",
        "tf.data",
        "from_generator with output_signature="
        "TensorSpec(shape=(1,)): TF turns each yielded 1-tuple into a tensor of shape (1,)",
    ),
    (
        "059",
        "after_restore",
        "tf.Module / checkpoint / saved_model",
        "delayed restoration: a dict attribute "
        "assigned to a Checkpoint after creation must be matched by key when restore() runs",
    ),
    (
        "060",
        "does not support bool input",
        "tf core names (errors, random, slicing ops)",
        "tf.argmax of a bool tensor (parts[-2] == class_names) must work as in TF",
    ),
    (
        "033",
        "AssertionError",
        "keras: masking",
        "the Embedding(mask_zero=True) mask must reach a custom "
        "layer's call(mask=...) through Dense (supports_masking) in a functional model",
    ),
    (
        "047",
        "'Module' object is not callable",
        "tf.Module / checkpoint / saved_model",
        "tf.saved_model.load must give back an object whose saved tf.function __call__ works",
    ),
    (
        "061",
        "csv_header",
        "keras logs and metrics",
        "metrics=['mae'] is logged as 'mae' by Keras 3 (CSVLogger columns, history keys)",
    ),
    (
        "050",
        "'int' object has no attribute 'numpy'",
        "tf.function",
        "AutoGraph: a Python int accumulated over tf.range inside tf.function must come back as a tensor",
    ),
]

PROGRAM_AREAS = [  # fallback by program number
    (1, 6, "tensor idioms: dtype names, shapes, negative steps"),
    (6, 8, "GradientTape"),
    (8, 9, "tf.Module / checkpoint / saved_model"),
    (9, 10, "tf.function"),
    (10, 12, "tf.Module / checkpoint / saved_model"),
    (12, 13, "strings"),
    (13, 15, "ragged / sparse"),
    (15, 21, "tf.data"),
    (21, 48, "keras (other)"),
    (48, 53, "tf core (other)"),
    (53, 100, "keras (other)"),
]


def area_of(rec):
    """(area, note) of a failing program."""
    reason = rec.get("reason") or ""
    number = rec["name"].split("_", 1)[0]
    for num, fragment, area, note in DIAGNOSED:
        if num == number and fragment in reason:
            return area, note
    for area, pattern in RULES:
        if re.search(pattern, reason) or re.search(pattern, rec.get("key") or ""):
            return area, None
    for lo, hi, area in PROGRAM_AREAS:
        if lo <= int(number) < hi:
            return area, None
    return "other", None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    groups = {}
    for rec in data["programs"]:
        if not rec["passed"]:
            area, note = area_of(rec)
            groups.setdefault(area, []).append(dict(rec, note=note))
    total = data["passed"] + data["failed"]
    lines = [
        "# Conformance failures",
        "",
        "Written by `conformance/failures.py` from `conformance/run.py --json`, run against the capas of"
        " `%s` at commit `%s`." % (data.get("root", "?"), data.get("commit", "?")),
        "",
        "**%d passed, %d failed** of %d programs. Each failure shows the first difference from the"
        " TF-recorded golden (`key: where expected ..., got ...`) or the exception that stopped the"
        " program; a program stops at its first exception, so later differences appear once that"
        " one is fixed." % (data["passed"], data["failed"], total),
        "",
    ]
    for area in sorted(groups):
        lines += ["## %s (%d)" % (area, len(groups[area])), ""]
        for rec in sorted(groups[area], key=lambda r: r["name"]):
            reason = (rec["reason"] or "").replace("|", "\\|").replace("\n", " ")
            if len(reason) > 300:
                reason = reason[:300] + "..."
            lines.append("- `%s`: %s" % (rec["name"], reason))
            if rec["note"]:
                lines.append("  - cause: %s" % rec["note"])
        lines.append("")
    passed = sorted(r["name"] for r in data["programs"] if r["passed"])
    lines += ["## Passing (%d)" % len(passed), "", ", ".join("`%s`" % n for n in passed) or "(none)", ""]
    with open(os.path.join(HERE, "FAILURES.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("wrote %s: %d failures in %d areas" % (os.path.join(HERE, "FAILURES.md"), data["failed"], len(groups)))


if __name__ == "__main__":
    main()
