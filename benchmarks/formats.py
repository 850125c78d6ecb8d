"""What the vendor export formats cost the pre-commit hook: `smlint check FILE` on one file, each run a fresh
process as pre-commit starts it, for a plain YAML vendor file, a vendor file that attaches exports, and
single export files; and the same plain YAML vendor file with another version of smlint (default: the
`main` branch, exported with `git archive` into a temporary folder), to show that the formats a file does
not use cost it nothing.

    .venv/bin/python benchmarks/formats.py [--runs N] [--baseline REF | --no-baseline]

Every command runs in a copy of `examples/compliant` (the agency's other files are read as context, as
the hook reads them), with the project cache on, after one untimed warm-up run; rounds interleave the
commands so that load from elsewhere falls on all of them alike. Prints median and min..max wall time and
median CPU time per command, and the ratios to the plain YAML vendor file. Not a pass/fail test;
docs/performance.md quotes a run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-01"

# (label, file in examples/compliant)
FILES = (
    ("plain YAML vendor file (vendors/doxy-me.yaml)", "vendors/doxy-me.yaml"),
    ("vendor file attaching 2 Zoom exports (vendors/zoom.yaml)", "vendors/zoom.yaml"),
    ("Zoom settings export (exports/zoom-account-settings.json)", "exports/zoom-account-settings.json"),
    ("Zoom lock settings export (exports/zoom-lock-settings.json)", "exports/zoom-lock-settings.json"),
    ("Google Workspace export (exports/google-workspace-scubagoggles.json)",
     "exports/google-workspace-scubagoggles.json"),
    ("Square export (exports/square-account.json)", "exports/square-account.json"),
)
BASELINE_FILE = "vendors/doxy-me.yaml"


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (exit 0 or 1 only)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{stderr[-2000:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def baseline_tree(ref: str, scratch: Path) -> Path:
    """The tree of `ref` (linter/, schemas/, rules/) exported into `scratch`, without touching any checkout."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "linter", "schemas", "rules"],
                             capture_output=True, check=True).stdout
    target = scratch / "baseline"
    target.mkdir()
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--baseline", default="main", help="git ref whose smlint checks the plain YAML vendor file")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        agency = scratch / "agency"
        shutil.copytree(ROOT / "examples" / "compliant", agency,
                        ignore=shutil.ignore_patterns(".smlint_cache", ".smlint.yaml"))
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}  # no .pyc written into checkouts
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        python = sys.executable
        here = {**env, "PYTHONPATH": str(ROOT / "linter")}
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            label: ([python, "-m", "smlint", "check", path, "--today", TODAY], here) for label, path in FILES}
        if not args.no_baseline:
            tree = baseline_tree(args.baseline, scratch)
            commands[f"plain YAML vendor file, smlint at {args.baseline}"] = (
                [python, "-m", "smlint", "check", BASELINE_FILE, "--today", TODAY],
                {**env, "PYTHONPATH": str(tree / "linter")})
        commands["smlint --version"] = ([python, "-m", "smlint", "--version"], here)
        commands["python -c pass"] = ([python, "-c", "pass"], env)

        for cmd, cmd_env in commands.values():  # warm-up: page cache, bytecode, the project cache
            run_once(cmd, agency, cmd_env)
        walls: dict[str, list[float]] = {label: [] for label in commands}
        cpus: dict[str, list[float]] = {label: [] for label in commands}
        labels = list(commands)
        for round_no in range(args.runs):
            shift = round_no % len(labels)
            for label in labels[shift:] + labels[:shift]:
                cmd, cmd_env = commands[label]
                wall, cpu = run_once(cmd, agency, cmd_env)
                walls[label].append(wall)
                cpus[label].append(cpu)

    base = statistics.median(walls[FILES[0][0]])
    base_cpu = statistics.median(cpus[FILES[0][0]])
    print(f"one file per process, {args.runs} runs each, load average {os.getloadavg()[0]:.1f}")
    print(f"{'command':<72} {'median ms':>9} {'min..max ms':>15} {'cpu ms':>7} {'x plain':>8} {'cpu x':>6}")
    for label in labels:
        median, cpu = statistics.median(walls[label]) * 1000, statistics.median(cpus[label]) * 1000
        spread = f"{min(walls[label]) * 1000:.0f}..{max(walls[label]) * 1000:.0f}"
        print(f"{label:<72} {median:9.0f} {spread:>15} {cpu:7.0f} {median / base / 1000:8.2f} "
              f"{cpu / base_cpu / 1000:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
