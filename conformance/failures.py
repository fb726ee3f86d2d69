#!/usr/bin/env python3
"""Write conformance/FAILURES.md from a `run.py --json` result, failures grouped by area.

Usage (from the project root):
    python conformance/run.py -j 2 --json /tmp/conformance.json
    python conformance/failures.py /tmp/conformance.json

A failure's area comes from the first rule below whose pattern occurs in its first difference
(or exception); otherwise from the program's own area (its number range).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (area, regular expression searched in "key: reason")
RULES = [
    ("tensor idioms: dtype names, shapes, slicing", r"torch\.(float|int|bool|uint)|step must be greater|as_list|"
                                                    r"\.dtype|shape|get_shape"),
    ("numpy interop", r"ndarray|numpy|np\.|operand type|__array__|is_ndarray"),
    ("strings", r"type str to a tensor|tf\.strings|bytes|string"),
    ("tf.Module / checkpoint / saved_model", r"tf\.Module|tf\.train|Checkpoint|saved_model"),
    ("ragged / sparse", r"tf\.ragged|tf\.sparse|Ragged|Sparse"),
    ("GradientTape", r"gradient|tape|watch|jacobian|_none"),
    ("tf.function", r"tf\.function|trac|concrete|signature"),
    ("tf.data", r"Dataset|capas\.data|element_spec|tf\.data"),
    ("keras.utils data tools", r"_from_directory|timeseries_dataset|get_file|split_dataset|pad_sequences|"
                               r"to_categorical"),
    ("keras logs and metrics", r"history|metrics_names|compile_metrics|evaluate|logs|_keys|events"),
    ("saving", r"\.keras|\.h5|save|load|config|json"),
]

PROGRAM_AREAS = [  # fallback by program number
    (1, 7, "tensor idioms: dtype names, shapes, slicing"), (6, 8, "GradientTape"),
    (8, 9, "tf.Module / checkpoint / saved_model"), (9, 10, "tf.function"), (10, 12, "tf.Module / checkpoint / saved_model"),
    (12, 13, "strings"), (13, 15, "ragged / sparse"), (15, 21, "tf.data"), (21, 48, "keras"),
    (48, 53, "tf core (other)"), (53, 100, "keras"),
]


def area_of(rec):
    text = "%s: %s" % (rec.get("key") or "", rec.get("reason") or "")
    for area, pattern in RULES:
        if re.search(pattern, text):
            return area
    number = int(rec["name"].split("_", 1)[0])
    for lo, hi, area in PROGRAM_AREAS:
        if lo <= number < hi:
            return area
    return "other"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    groups = {}
    for rec in data["programs"]:
        if not rec["passed"]:
            groups.setdefault(area_of(rec), []).append(rec)
    total = data["passed"] + data["failed"]
    lines = ["# Conformance failures", "",
             "Written by `conformance/failures.py` from `conformance/run.py --json` against this tree.",
             "", "**%d passed, %d failed** of %d programs. Each failure shows the first difference from the"
             " TF-recorded golden (`key: where expected ..., got ...`) or the exception that stopped the"
             " program; a program stops at its first exception, so later differences appear once that"
             " one is fixed." % (data["passed"], data["failed"], total), ""]
    for area in sorted(groups):
        lines += ["## %s (%d)" % (area, len(groups[area])), ""]
        for rec in sorted(groups[area], key=lambda r: r["name"]):
            reason = (rec["reason"] or "").replace("|", "\\|").replace("\n", " ")
            if len(reason) > 300:
                reason = reason[:300] + "..."
            lines.append("- `%s`: %s" % (rec["name"], reason))
        lines.append("")
    passed = sorted(r["name"] for r in data["programs"] if r["passed"])
    lines += ["## Passing (%d)" % len(passed), "", ", ".join("`%s`" % n for n in passed) or "(none)", ""]
    with open(os.path.join(HERE, "FAILURES.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("wrote %s: %d failures in %d areas" % (os.path.join(HERE, "FAILURES.md"), data["failed"], len(groups)))


if __name__ == "__main__":
    main()
