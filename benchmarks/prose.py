"""What a prose policy costs: reading and checking the same agency's policy as YAML, as Markdown and as
Word, per file, in one process, after a warm-up (so imports are not counted), and the import cost of
the readers once.

    .venv/bin/python benchmarks/prose.py [--rounds N]

Prints milliseconds per file (median of the rounds) and the ratio to the YAML policy. Not a pass/fail
test; docs/performance.md quotes a run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_file(path: Path, rounds: int) -> float:
    from smlint.checks import Context
    from smlint.engine import Engine
    from smlint.findings import Selection
    from smlint.loader import load_file
    from smlint.pipeline import check_loaded
    from smlint.registry import load_ruleset

    engine = Engine(Selection.all_of(load_ruleset()), Context(date(2026, 3, 1)))
    check_loaded(engine, [load_file(path, path.name)])  # warm-up: imports, compiled patterns
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        check_loaded(engine, [load_file(path, path.name)])
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def import_ms(module: str) -> float:
    code = f"import time; s = time.perf_counter(); import {module}; print((time.perf_counter() - s) * 1000)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def catalogue_ms() -> float:
    """Reading rules/clauses/*.yaml and compiling every concept's patterns, in a fresh process."""
    code = ("import time; from smlint.clauses import builtin_catalogue; s = time.perf_counter(); "
            "c = builtin_catalogue(); print((time.perf_counter() - s) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    from tests.corpus.prose.examples.regenerate import COMPLIANT_TEXT, COMPLIANT_YAML, load, word
    from tests.corpus.prose.make_docx import build

    with tempfile.TemporaryDirectory() as folder:
        same_agency = Path(folder) / "compliant-policy.docx"
        same_agency.write_bytes(word(load(COMPLIANT_YAML), COMPLIANT_TEXT))
        files = {
            "YAML policy (the compliant agency)": COMPLIANT_YAML,
            "Markdown policy (the same agency)": ROOT / "examples/compliant/policies/social-media-technology-policy.md",
            "Word policy (the same agency)": same_agency,
            "Word policy (examples/noncompliant)": ROOT / "examples/noncompliant/policies/technology-policy.docx",
            "Markdown policy (agency HR style)": ROOT / "tests/corpus/prose/agency-hr.md",
            "Word policy (county agency)": build(Path(folder))["county-agency.docx"],
        }
        results = {name: per_file(path, rounds) for name, path in files.items()}
    base = next(iter(results.values()))
    for name, ms in results.items():
        print(f"{name:<40} {ms:7.2f} ms/file  ({ms / base:4.1f}x YAML)")
    for module in ("markdown_it", "docx", "smlint.clauses"):
        print(f"import {module:<33} {import_ms(module):7.1f} ms (once per run, only when a prose file is read)")
    label = "loading the clause catalogue"
    print(f"{label:<40} {catalogue_ms():7.1f} ms (once per run, only when a prose file is read)")


if __name__ == "__main__":
    main()
