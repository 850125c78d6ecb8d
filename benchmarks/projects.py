"""Project-aware runs at repository scale (issue 13): the pre-commit hook on one file, and peak memory.

    .venv/bin/python benchmarks/projects.py                 # hook timings and memory
    .venv/bin/python benchmarks/projects.py --smlint PATH   # another smlint (e.g. an older checkout's)
    .venv/bin/python benchmarks/projects.py --old-flags     # hook entry of smlint <= 0.1 (--repo-context)

Builds, in a temporary folder, from copies of examples/compliant:

- `one`: a git repository holding one agency (its own `.smlint.yaml`);
- `many`: a git repository holding 200 agencies, each in its own folder with its own `.smlint.yaml`;
- `big`: a git repository that is one project of about 5,000 artifacts (one `.smlint.yaml` at the top);

and times the hook's command (`smlint check --format concise --project-context FILE`, with PRE_COMMIT=1, from
the repository's top, as pre-commit runs it) on one vendor file of each, as a fresh process, the median of
`--runs` rounds after one untimed warm-up run (which fills `.smlint_cache/`: the timings are warm-cache ones);
each round runs the three in a rotating order. Wall time and CPU time (user + system, from `wait4`) are both
reported: on a shared machine wall time follows the load, CPU time much less. The targets (on wall time, as
the issue states them; the CPU ratios are printed beside them): `many` at most 1.5x `one`, `big` at most 2x.

Then it measures the peak resident memory of `smlint check . --jobs 1` (one process, so the peak is the
process's own: `ru_maxrss`) over corpora of 2,000 and 10,000 files (copies of the agencies of examples/,
as `run.py` builds them). The targets: at most 150 MB at 10,000 files, and at most 1.6x the peak at 2,000.
Before timing anything, the smlint measured is compiled to bytecode, as an installed wheel is.

Results go to benchmarks/results/projects.json. No test times anything; docs/performance.md quotes them.
"""

from __future__ import annotations

import argparse
import json
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
EXAMPLES = ROOT / "examples"
RESULTS = ROOT / "benchmarks" / "results"
TODAY = "2026-03-01"
VENDOR = "vendors/spruce-health.yaml"
TARGETS = {"many_over_one": 1.5, "big_over_one": 2.0, "peak_mb_10000": 150.0, "peak_10000_over_2000": 1.6}

sys.path.insert(0, str(ROOT / "benchmarks"))
from run import build_corpus, example_files  # noqa: E402  (benchmarks/ is not a package)


def compile_smlint(smlint: str) -> None:
    """Compile the smlint being timed to bytecode first, as installing a wheel does (`run.py` does the same):
    an editable install under PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every run,
    a fixed cost that would shrink every ratio below."""
    python = Path(smlint).with_name("python")
    code = ("import compileall, pathlib, smlint; "
            "compileall.compile_dir(str(pathlib.Path(smlint.__file__).parent), quiet=1)")
    subprocess.run([str(python), "-c", code], check=True, stdout=subprocess.DEVNULL)


def agency_files() -> list[Path]:
    source = EXAMPLES / "compliant"
    return [p.relative_to(source) for p in sorted(source.rglob("*")) if p.is_file()]


def copy_agency(target: Path, with_config: bool = True) -> None:
    source = EXAMPLES / "compliant"
    for rel in agency_files():
        if rel.name.startswith(".smlint") and not with_config:
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, target / rel)


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


def build_one(top: Path) -> tuple[Path, str]:
    repo = top / "one"
    copy_agency(repo)
    git_init(repo)
    return repo, VENDOR


def build_many(top: Path, agencies: int) -> tuple[Path, str]:
    repo = top / "many"
    for n in range(agencies):
        copy_agency(repo / f"agency-{n:03d}")
    git_init(repo)
    return repo, f"agency-{agencies // 2:03d}/{VENDOR}"


def build_big(top: Path, artifacts: int) -> tuple[Path, str]:
    """One project: `artifacts` files in folders of one agency's worth each, one configuration at the top."""
    repo = top / "big"
    per = len([f for f in agency_files() if not f.name.startswith(".")])
    for n in range(max(1, artifacts // per)):
        copy_agency(repo / f"site-{n:04d}", with_config=False)
    shutil.copyfile(EXAMPLES / "compliant" / ".smlint.yaml", repo / ".smlint.yaml")
    git_init(repo)
    return repo, f"site-0000/{VENDOR}"


def run_once(cmd: Sequence[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one run of `cmd` as a fresh process."""
    env = {**os.environ, "PRE_COMMIT": "1"}
    env.pop("SMLINT_NO_CACHE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def time_hooks(cases: dict[str, tuple[Path, list[str]]], runs: int) -> dict[str, dict[str, object]]:
    """One untimed warm-up run of each case (it fills `.smlint_cache/`), then `runs` rounds, each running
    every case once in an order that rotates, so that load from elsewhere falls on all alike."""
    codes = {name: run_once(cmd, cwd)[2] for name, (cwd, cmd) in cases.items()}
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for round_ in range(runs):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            seconds, cpu_seconds, _ = run_once(cases[name][1], cases[name][0])
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
    return {name: {"seconds": round(statistics.median(wall[name]), 4), "cpu": round(statistics.median(cpu[name]), 4),
                   "min_seconds": round(min(wall[name]), 4), "exit": codes[name]} for name in cases}


def peak_rss(cmd: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of one run of `cmd` (a single process)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and ".smlint" not in p.name
               and ".smlint_cache" not in p.parts and ".git" not in p.parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smlint", default=str(Path(sys.executable).with_name("smlint")))
    parser.add_argument("--old-flags", action="store_true", help="use --repo-context (smlint before issue 13)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--artifacts", type=int, default=5000)
    parser.add_argument("--memory-sizes", type=lambda s: tuple(int(x) for x in s.split(",")), default=(2000, 10000))
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS / "projects.json")
    args = parser.parse_args(argv)
    context = "--repo-context" if args.old_flags else "--project-context"
    hook = [args.smlint, "check", "--format", "concise", context, "--today", TODAY]
    results: dict[str, object] = {"smlint": args.smlint, "hook": " ".join(hook[1:]), "runs": args.runs}
    compile_smlint(args.smlint)
    with tempfile.TemporaryDirectory(prefix="smlint-projects-") as scratch:
        top = Path(scratch)
        built = {"one": build_one(top), "many": build_many(top, args.agencies), "big": build_big(top, args.artifacts)}
        hooks = time_hooks({name: (repo, [*hook, file]) for name, (repo, file) in built.items()}, args.runs)
        for name, (repo, _) in built.items():
            hooks[name]["files"] = count_files(repo)
            print(f"hook on one file, {name:<4} ({hooks[name]['files']:>6} files): {hooks[name]['seconds']:.3f} s, "
                  f"CPU {hooks[name]['cpu']:.3f} s (exit {hooks[name]['exit']})")

        def ratio(name: str, measure: str) -> float:
            return round(float(hooks[name][measure]) / float(hooks["one"][measure]), 2)  # type: ignore[arg-type]

        ratios = {"many_over_one": ratio("many", "seconds"), "big_over_one": ratio("big", "seconds"),
                  "many_over_one_cpu": ratio("many", "cpu"), "big_over_one_cpu": ratio("big", "cpu")}
        results["hook"] = hooks
        memory: dict[str, dict[str, float]] = {}
        if not args.skip_memory:
            files = example_files()
            for size in args.memory_sizes:
                corpus = build_corpus(top, size, files)
                mb, seconds = peak_rss([args.smlint, "check", ".", "--today", TODAY, "--jobs", "1",
                                        "--format", "concise"], corpus)
                memory[str(size)] = {"peak_mb": round(mb, 1), "seconds": round(seconds, 2)}
                print(f"check . --jobs 1, {size:>6} files: peak {mb:.1f} MB, {seconds:.2f} s")
                shutil.rmtree(corpus)
            sizes = sorted(int(s) for s in memory)
            if len(sizes) >= 2:
                ratios["peak_largest_over_smallest"] = round(memory[str(sizes[-1])]["peak_mb"]
                                                             / memory[str(sizes[0])]["peak_mb"], 2)
        results["memory"] = memory
    results["ratios"] = ratios
    met = {"many_over_one": ratios["many_over_one"] <= TARGETS["many_over_one"],
           "big_over_one": ratios["big_over_one"] <= TARGETS["big_over_one"]}
    if "10000" in memory:
        met["peak_mb_10000"] = memory["10000"]["peak_mb"] <= TARGETS["peak_mb_10000"]
    if "peak_largest_over_smallest" in ratios and set(memory) >= {"2000", "10000"}:
        met["peak_10000_over_2000"] = ratios["peak_largest_over_smallest"] <= TARGETS["peak_10000_over_2000"]
    results["targets"] = {k: {"target": TARGETS[k], "met": v} for k, v in met.items()}
    for key, value in ratios.items():
        print(f"{key}: {value}")
    for key, value in met.items():
        print(f"target {key} <= {TARGETS[key]}: {'met' if value else 'NOT met'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
