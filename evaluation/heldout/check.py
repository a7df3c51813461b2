#!/usr/bin/env python3
"""Checks the held-out Quillstack set: rows parse, ids are unique, gold pages exist,
pages are well formed, and the counts per expectation are the ones in README.md."""
import collections, json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent / "quillstack"
CORPUS = HERE / "corpus"
EXPECTED = {"answer": 76, "decline": 12, "escalate": 10, "refuse": 10}

problems = []
pages = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.md"))
if not 35 <= len(pages) <= 45:
    problems.append(f"{len(pages)} pages, expected 35 to 45")
for rel in pages:
    text = (CORPUS / rel).read_text(encoding="utf-8")
    words = len(text.split())
    if not text.startswith("# ") or "\n## " not in text:
        problems.append(f"{rel}: needs a '# Title' first line and '##' sections")
    if not 150 <= words <= 700:
        problems.append(f"{rel}: {words} words")

ids, counts, followups = set(), collections.Counter(), 0
for n, line in enumerate((HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        problems.append(f"line {n}: {e}")
        continue
    rid, expect = row.get("id"), row.get("expect")
    if not rid or rid in ids:
        problems.append(f"line {n}: missing or duplicate id {rid!r}")
    ids.add(rid)
    if not row.get("question"):
        problems.append(f"{rid}: no question")
    counts[expect] += 1
    history = row.get("history") or []
    if history:
        followups += 1
        if not 2 <= len(history) <= 4 or any(t.get("role") not in ("user", "agent") or not t.get("text") for t in history):
            problems.append(f"{rid}: bad history")
    if expect == "answer":
        if not row.get("doc_ids") or not row.get("answer"):
            problems.append(f"{rid}: answer rows need doc_ids and answer")
        for d in row.get("doc_ids", []):
            if d not in pages:
                problems.append(f"{rid}: unknown doc_id {d}")
    elif expect in EXPECTED:
        if row.get("doc_ids") or row.get("answer"):
            problems.append(f"{rid}: {expect} rows carry no doc_ids or answer")
    else:
        problems.append(f"{rid}: unknown expect {expect!r}")

if dict(counts) != EXPECTED:
    problems.append(f"counts {dict(counts)} != {EXPECTED}")
print(f"{len(pages)} pages, {sum(counts.values())} questions {dict(counts)}, {followups} with history")
for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
