"""Time `smlint check` over the hostile-input folder, beside a peer measured in the same run.

    .venv/bin/python benchmarks/hostile_suite.py [--repeat 3]

The folder is generated (as tests/hostile does) in a temporary directory: every encoding, syntax, key,
tag, value, shape, size and file case, a 20 MB file, 20,000-deep nesting, alias bombs and one copy of
each compliant example per field with that field's type wrong. The peers are (1) the C YAML composer
alone over the same files (what parsing costs with no limits, schemas or rules; it must skip the files
that would crash or exhaust it, which smlint handles), and (2) `smlint check` over the shipped examples
(the start-up and normal per-file cost). Not a pass/fail test: it prints the numbers.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.cases import build  # noqa: E402

SKIP_FOR_PEER = ("size/", "files/loop", "files/dangling")  # would crash, hang or fail the bare composer


def _smlint(folder: Path, cwd: Path) -> tuple[float, int, str]:
    smlint = Path(sys.executable).with_name("smlint")
    start = time.perf_counter()
    done = subprocess.run([str(smlint), "check", str(folder), "--format", "concise", "--today", "2026-03-01"],
                          cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, done.returncode, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr


def _peer_compose(folder: Path, names: list[str]) -> float:
    from ruamel.yaml.cyaml import CSafeLoader

    start = time.perf_counter()
    for name in names:
        if name.startswith(SKIP_FOR_PEER):
            continue
        try:
            text = (folder / name).read_bytes().decode("utf-8", "replace")
            loader = CSafeLoader(text)
            try:
                while loader.check_node():
                    loader.get_node()
            finally:
                loader.dispose()
        except Exception:  # the peer only measures time
            continue
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smlint-hostile-") as tmp:
        folder = Path(tmp) / "hostile"
        start = time.perf_counter()
        expected = build(folder)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"generated {len(expected)} files ({size / 1e6:.1f} MB) in {generated:.2f} s")
        for run in range(1, args.repeat + 1):
            elapsed, code, summary = _smlint(folder, Path(tmp))
            peer = _peer_compose(folder, list(expected))
            examples, _, ex_summary = _smlint(ROOT / "examples", ROOT)
            print(f"run {run}: smlint hostile folder {elapsed:.2f} s (exit {code}: {summary})")
            print(f"       peer: C composer alone, same files minus size/loop cases {peer:.2f} s")
            print(f"       peer: smlint over examples/ {examples:.2f} s ({ex_summary})")


if __name__ == "__main__":
    main()
