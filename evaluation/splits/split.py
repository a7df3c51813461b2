#!/usr/bin/env python3
"""Splits a development set into the part we tune on and the part we do not look at.

    python3 evaluation/splits/split.py DATASET.jsonl OUT_DIR

writes OUT_DIR/NAME-tune.jsonl and OUT_DIR/NAME-holdout.jsonl. The rule is fixed
before any tuning and never changed (see README.md beside this file):
  - rows with doc_ids (retrieval and answer sets) are split by their first gold
    document, so no held-out page is ever seen while tuning: sha256(doc_id) % 4 == 0
    is held out (about a quarter of the pages);
  - other rows (guard, PII) are split by id: sha256(id) % 5 == 0 is held out
    (about a fifth, within every source).
"""
import hashlib
import json
import pathlib
import sys


def bucket(key: str, parts: int) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % parts


def held_out(row: dict) -> bool:
    docs = row.get("doc_ids") or []
    if docs:
        return bucket(docs[0], 4) == 0
    # rows without a gold page (guard rows; decline, escalate and refuse questions)
    return bucket(str(row["id"]), 5) == 0


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    name = source.parent.name if source.name == "questions.jsonl" else source.stem
    tune, holdout = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            (holdout if held_out(json.loads(line)) else tune).append(line)
    (out / f"{name}-tune.jsonl").write_text("".join(l + "\n" for l in tune), encoding="utf-8")
    (out / f"{name}-holdout.jsonl").write_text("".join(l + "\n" for l in holdout), encoding="utf-8")
    print(f"{name}: {len(tune)} tune, {len(holdout)} held out -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
