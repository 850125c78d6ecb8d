"""Benchmark smlint against its nearest Python peer (check-jsonschema) and the bare parse floor.

    .venv/bin/python benchmarks/run.py            # full mode: 7 rounds per size, 21 single-file runs
    .venv/bin/python benchmarks/run.py --quick    # 3 rounds, 9 single-file runs (a few minutes)
    .venv/bin/python benchmarks/run.py --quick --examples OLD/examples --peer-schema OLD/schemas/policy.schema.json

For N = 100, 500 and 2,000 artifact files it builds a corpus of copies of `examples/` (each copy a whole
repository, so cross-artifact rules have neighbours) in a temporary folder, then times, in rounds whose
order rotates, as subprocesses of this script:

- smlint with every built-in rule, `--jobs 1` and with its default jobs;
- check-jsonschema validating the same files against smlint's largest artifact schema, installed in
  benchmarks/.peer with ruamel.yaml.clib beside it (the script checks that it really parses with the
  C parser and stops if it does not);
- the parse floor: `parse_floor.py`, ruamel's C composer over the same files. Like the other two it is
  a fresh Python process, so its time includes start-up; the floor's start-up alone is reported too.

`--examples DIR` builds the corpus from DIR instead of this checkout's `examples/` (same selection: YAML
and JSON files, no hidden files, no `custom-rules/`), and `--peer-schema FILE` gives check-jsonschema that
schema instead of this checkout's largest: with both, two checkouts (say, before and after a change) are
timed on the same files with the same peer, which their own `examples/` and `schemas/` may not allow.

It prints medians, ratios, single-file (pre-commit) timings, peak memory and whether each target is met,
and writes everything to benchmarks/results/latest.json. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PEER = BENCH / ".peer"
RESULTS = BENCH / "results"
EXAMPLES = ROOT / "examples"
TODAY = "2026-03-01"
SIZES = (100, 500, 2000)
ARTIFACT_SUFFIXES = (".yaml", ".yml", ".json")
PEER_PACKAGES = ("check-jsonschema", "ruamel.yaml.clib")

TARGETS = {
    "corpus_vs_peer": 1.0,  # smlint (default jobs) / check-jsonschema, largest corpus
    "corpus_vs_floor": 3.0,  # smlint (default jobs) / parse floor, largest corpus
    "single_vs_peer": 0.6,  # one file: smlint / check-jsonschema
    "scaling_2000_over_500": 4.4,  # smlint (default jobs) 2,000 files / 500 files
    "peak_mb_2000": 250.0,  # whole process tree, 2,000 files
}


@dataclass
class Sample:
    seconds: float
    max_rss_mb: float  # largest single process (rusage)
    cpu_seconds: float = 0.0  # user + system, the process and the workers it waited for
    tree_peak_mb: float = 0.0  # sum over the process tree, sampled from /proc (warm-up run only)
    returncode: int = 0


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)
    warm: Sample = field(default_factory=lambda: Sample(0.0, 0.0))  # the untimed first run, for memory

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        times = [s.seconds for s in self.samples]
        return min(times), max(times)


# -- measuring one process tree ---------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with Path(f"/proc/{entry.name}/stat").open(encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _rss_kb(pid: int) -> int:
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants (Linux /proc); a conservative peak,
    since pages that forked workers share with their parent are counted once per process."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            children = _children_map()
            stack, total = [self.pid], 0
            while stack:
                pid = stack.pop()
                total += _rss_kb(pid)
                stack.extend(children.get(pid, ()))
            self.peak_kb = max(self.peak_kb, total)
            self.done.wait(self.interval)


def run_once(cmd: Sequence[str], cwd: Path, out: Path | None = None, sample_tree: bool = False) -> Sample:
    sink = out.open("wb") if out is not None else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        sampler = TreeSampler(proc.pid) if sample_tree and Path("/proc/self/status").exists() else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if sampler:
            sampler.done.set()
            sampler.join()
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out is not None:
            sink.close()  # type: ignore[union-attr]
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}")
    max_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    tree_mb = (sampler.peak_kb / 1024) if sampler else 0.0
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds, max_rss_mb, cpu, max(tree_mb, max_rss_mb) if sampler else 0.0, proc.returncode)


# -- set-up -----------------------------------------------------------------------------------------

def smlint_command() -> list[str]:
    script = Path(sys.executable).with_name("smlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smlint"]


def smlint_has_jobs() -> bool:
    help_text = subprocess.run([*smlint_command(), "check", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in help_text


def ensure_peer(python: str) -> Path:
    exe = PEER / "bin" / "check-jsonschema"
    if not exe.exists():
        print(f"installing {' and '.join(PEER_PACKAGES)} into {PEER.relative_to(ROOT)} ...", flush=True)
        subprocess.run([python, "-m", "venv", str(PEER)], check=True)
        subprocess.run([str(PEER / "bin" / "python"), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return exe


PEER_PROBE = """
import json, importlib.metadata as md
import ruamel.yaml
from ruamel.yaml.main import CParser
from check_jsonschema.parsers.yaml import construct_yaml_implementation
impl = construct_yaml_implementation()
print(json.dumps({"check-jsonschema": md.version("check-jsonschema"), "jsonschema": md.version("jsonschema"),
                  "ruamel.yaml": md.version("ruamel.yaml"), "ruamel.yaml.clib": md.version("ruamel.yaml.clib"),
                  "c_parser": CParser is not None and impl.Parser is CParser}))
"""

SMLINT_PROBE = """
import json, importlib.metadata as md
from smlint.composer import HAVE_C_PARSER
print(json.dumps({"smlint": md.version("smlint"), "jsonschema": md.version("jsonschema"),
                  "ruamel.yaml": md.version("ruamel.yaml"), "c_parser": HAVE_C_PARSER}))
"""


def compile_bytecode() -> list[str]:
    """Compile smlint's modules, and the peer's, to bytecode before timing anything.

    pip compiles what it installs from a wheel (the peer), but an editable install is compiled by Python
    on first import, and not at all where PYTHONDONTWRITEBYTECODE is set (as on some CI machines): smlint
    would then recompile every module on every run, which a user's installed copy never does."""
    import compileall

    import smlint

    folders = [Path(smlint.__file__).resolve().parent, *sorted((PEER / "lib").glob("python*/site-packages"))]
    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)
    return [str(f) for f in folders]


def probe(python: str | Path, code: str) -> dict[str, object]:
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cannot inspect {python}:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def default_jobs(files: int) -> str:
    """What smlint's automatic --jobs picks for this many files right now (it counts idle CPUs)."""
    code = f"from smlint.parallel import default_jobs; print(default_jobs({files}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "?"


def largest_schema() -> Path:
    schemas = [p for p in (ROOT / "schemas").glob("*.schema.json") if p.name != "rule.schema.json"]
    return max(schemas, key=lambda p: p.stat().st_size)


SKIP_EXAMPLES = ("custom-rules",)  # custom rules and the configuration that names them: not an agency


def example_files(examples: Path = EXAMPLES) -> list[Path]:
    """The agencies' files under examples/: no hidden files (configuration), no custom-rule example."""
    files = [p.relative_to(examples) for p in sorted(examples.rglob("*"))
             if p.is_file() and p.suffix in ARTIFACT_SUFFIXES and not p.name.startswith(".")
             and p.relative_to(examples).parts[0] not in SKIP_EXAMPLES]
    if not files:
        raise SystemExit(f"{examples} holds no artifact files")
    return files


def build_corpus(top: Path, size: int, files: Sequence[Path], examples: Path = EXAMPLES) -> Path:
    """`size` files: whole copies of examples/, the last copy cut short to hit the count exactly."""
    corpus = top / f"n{size}"
    shutil.rmtree(corpus, ignore_errors=True)
    for n in range(size):
        copy, index = divmod(n, len(files))
        target = corpus / f"agency-{copy:04d}" / files[index]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(examples / files[index], target)
    return corpus


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.suffix in ARTIFACT_SUFFIXES)


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "platform": platform.platform(), "load_average": os.getloadavg()}


# -- the benchmark ----------------------------------------------------------------------------------

def tools_for(corpus: Path, files: Sequence[str], schema: Path, peer: Path, jobs: bool) -> dict[str, list[str]]:
    smlint = [*smlint_command(), "check", ".", "--today", TODAY]
    tools = {}
    if jobs:
        tools["smlint --jobs 1"] = [*smlint, "--jobs", "1"]
    tools["smlint"] = smlint
    tools["check-jsonschema"] = [str(peer), "--schemafile", str(schema), *files]
    tools["parse floor"] = [sys.executable, str(BENCH / "parse_floor.py"), "."]
    return tools


def warm_up(corpus: Path, tools: dict[str, list[str]], scratch: Path) -> dict[str, Series]:
    """One untimed run of each tool (page cache, .pyc files), sampling memory; checks --jobs output."""
    series = {name: Series(name) for name in tools}
    outputs = {}
    for name, cmd in tools.items():
        out = scratch / f"{name.replace(' ', '_')}.out"
        series[name].warm = run_once(cmd, corpus, out=out, sample_tree=True)
        outputs[name] = out.read_bytes()
    if "smlint --jobs 1" in outputs:
        two = scratch / "smlint_jobs_2.out"  # the default may be one job on a busy machine: try two anyway
        run_once([*tools["smlint --jobs 1"][:-1], "2"], corpus, out=two)
        for name, output in (("the default jobs", outputs["smlint"]), ("--jobs 2", two.read_bytes())):
            if output != outputs["smlint --jobs 1"]:
                raise SystemExit(f"smlint --jobs 1 and {name} gave different output on {corpus}")
    return series


def measure(corpora: dict[int, Path], tools: dict[int, dict[str, list[str]]], series: dict[int, dict[str, Series]],
            rounds: int) -> None:
    """Timed rounds. Each round runs every tool on every size, in an order that rotates between rounds, so
    that a burst of load from elsewhere on the machine falls on all of them alike."""
    runs = [(size, name) for size in corpora for name in tools[size]]
    for round_no in range(rounds):
        shift = (round_no * len(runs)) // max(rounds, 1)
        for size, name in runs[shift:] + runs[:shift]:
            series[size][name].samples.append(run_once(tools[size][name], corpora[size]))


def single_file(corpus: Path, relpath: str, schema: Path, peer: Path, runs: int) -> dict[str, Series]:
    empty = corpus.parent / "empty"
    empty.mkdir(exist_ok=True)
    tools = {
        "smlint --version": [*smlint_command(), "--version"],
        "smlint (1 file)": [*smlint_command(), "check", relpath, "--today", TODAY],
        "check-jsonschema (1 file)": [str(peer), "--schemafile", str(schema), relpath],
        "parse floor (no files)": [sys.executable, str(BENCH / "parse_floor.py"), str(empty)],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    series = {name: Series(name) for name in tools}
    for cmd in tools.values():
        run_once(cmd, corpus)
    names = list(tools)
    for round_no in range(runs):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            series[name].samples.append(run_once(tools[name], corpus))
    return series


def fmt_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def report_size(size: int, series: dict[str, Series]) -> list[str]:
    peer, floor = series["check-jsonschema"].median, series["parse floor"].median
    widths = (18, 9, 12, 8, 7, 8, 8, 9, 10, 8)
    lines = [f"\n{size} files", fmt_row(("tool", "median s", "min..max s", "ms/file", "x peer", "x floor",
                                         "CPU s", "CPU x peer", "max RSS MB", "tree MB"), widths)]
    for name, s in series.items():
        low, high = s.spread
        warm = s.warm
        lines.append(fmt_row((name, f"{s.median:.3f}", f"{low:.2f}..{high:.2f}", f"{1000 * s.median / size:.2f}",
                              f"{s.median / peer:.2f}", f"{s.median / floor:.2f}", f"{s.cpu_median:.2f}",
                              f"{s.cpu_median / series['check-jsonschema'].cpu_median:.2f}",
                              f"{warm.max_rss_mb:.0f}", f"{warm.tree_peak_mb:.0f}"), widths))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds per size and 9 single-file runs")
    parser.add_argument("--rounds", type=int, help="timed rounds per corpus size (default 7, quick 3)")
    parser.add_argument("--single-runs", type=int, help="single-file runs (default 21, quick 9)")
    parser.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), default=SIZES,
                        help="comma-separated corpus sizes (default 100,500,2000)")
    parser.add_argument("--corpus-dir", type=Path, help="build corpora here and keep them (default: a temp folder)")
    parser.add_argument("--examples", type=Path, default=EXAMPLES,
                        help="build the corpus from this examples folder (default: this checkout's examples/)")
    parser.add_argument("--peer-schema", type=Path,
                        help="the schema check-jsonschema validates with (default: this checkout's largest)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 7)
    single_runs = args.single_runs or (9 if args.quick else 21)

    peer = ensure_peer(sys.executable)
    peer_info = probe(PEER / "bin" / "python", PEER_PROBE)
    smlint_info = probe(sys.executable, SMLINT_PROBE)
    if not peer_info["c_parser"]:
        raise SystemExit("check-jsonschema would parse with ruamel's pure-Python parser; install ruamel.yaml.clib "
                         f"into {PEER} (a slowed peer flatters smlint)")
    if not smlint_info["c_parser"]:
        raise SystemExit("smlint's environment lacks ruamel.yaml.clib; reinstall with the README command")
    compiled = compile_bytecode()
    schema = args.peer_schema.resolve() if args.peer_schema else largest_schema()
    examples_dir = args.examples.resolve()
    jobs = smlint_has_jobs()
    info = {"machine": machine(), "peer": peer_info, "smlint": smlint_info, "schema": str(schema),
            "examples": str(examples_dir),
            "rounds": rounds, "single_runs": single_runs, "sizes": {}, "single": {}}
    print(f"machine: {info['machine']}")
    print(f"bytecode compiled for: {', '.join(compiled)}")
    print(f"smlint: {smlint_info}\npeer: {peer_info}\npeer schema: {schema}; corpus from {examples_dir}; "
          f"{rounds} rounds per size; "
          "every tool is a fresh process (start-up included)", flush=True)

    top = args.corpus_dir or Path(tempfile.mkdtemp(prefix="smlint-bench-"))
    examples = example_files(examples_dir)
    lines: list[str] = []
    medians: dict[int, dict[str, float]] = {}
    peaks: dict[int, float] = {}
    try:
        corpora = {size: build_corpus(top, size, examples, examples_dir) for size in args.sizes}
        files = {size: corpus_files(corpus) for size, corpus in corpora.items()}
        auto = {size: default_jobs(len(files[size])) for size in args.sizes}
        tools = {size: tools_for(corpora[size], files[size], schema, peer, jobs) for size in args.sizes}
        all_series = {size: warm_up(corpora[size], tools[size], top) for size in args.sizes}
        measure(corpora, tools, all_series, rounds)
        for size, series in all_series.items():
            medians[size] = {name: s.median for name, s in series.items()}
            peaks[size] = series["smlint"].warm.tree_peak_mb
            info["sizes"][size] = {name: {"median_s": s.median, "samples_s": [x.seconds for x in s.samples],
                                          "cpu_median_s": s.cpu_median,
                                          "warm_max_rss_mb": s.warm.max_rss_mb,
                                          "warm_tree_peak_mb": s.warm.tree_peak_mb}
                                   for name, s in series.items()}
            info["sizes"][size]["default_jobs_at_start"] = auto[size]
            block = report_size(size, series)
            block[0] += f" (smlint's default jobs when the rounds began: {auto[size]})"
            print("\n".join(block), flush=True)
            lines.extend(block)
        big = max(args.sizes)
        corpus = corpora[big]
        single_path = max(files[big], key=lambda f: (corpus / f).stat().st_size)
        single = single_file(corpus, single_path, schema, peer, single_runs)
        info["single"] = {name: {"median_s": s.median, "cpu_median_s": s.cpu_median,
                                 "samples_s": [x.seconds for x in s.samples]}
                          for name, s in single.items()}
    finally:
        if args.corpus_dir is None:
            shutil.rmtree(top, ignore_errors=True)

    print(f"\nsingle file ({single_path}, the largest; {single_runs} runs)")
    for name, s in single.items():
        low, high = s.spread
        print(f"  {name:26s} median {1000 * s.median:6.1f} ms  ({1000 * low:.0f}..{1000 * high:.0f}), "
              f"CPU {1000 * s.cpu_median:.0f} ms")

    ratios = {}
    cpu = {size: {name: s.cpu_median for name, s in series.items()} for size, series in all_series.items()}
    cpu_ratios = {"corpus_vs_peer": cpu[big]["smlint"] / cpu[big]["check-jsonschema"],
                  "corpus_vs_floor": cpu[big]["smlint"] / cpu[big]["parse floor"],
                  "single_vs_peer": single["smlint (1 file)"].cpu_median
                  / single["check-jsonschema (1 file)"].cpu_median}
    if 500 in cpu and 2000 in cpu:
        cpu_ratios["scaling_2000_over_500"] = cpu[2000]["smlint"] / cpu[500]["smlint"]
    info["cpu_ratios"] = cpu_ratios
    ratios["corpus_vs_peer"] = medians[big]["smlint"] / medians[big]["check-jsonschema"]
    ratios["corpus_vs_floor"] = medians[big]["smlint"] / medians[big]["parse floor"]
    ratios["single_vs_peer"] = single["smlint (1 file)"].median / single["check-jsonschema (1 file)"].median
    if 500 in medians and 2000 in medians:
        ratios["scaling_2000_over_500"] = medians[2000]["smlint"] / medians[500]["smlint"]
    if 2000 in peaks:
        ratios["peak_mb_2000"] = peaks[2000]
    info["ratios"] = ratios
    info["machine"]["load_average_end"] = os.getloadavg()  # type: ignore[index]
    missed = []
    print(f"\ntargets (smlint = default jobs; corpus ratios at {big} files)")
    for key, value in ratios.items():
        ok = value <= TARGETS[key] if key != "peak_mb_2000" else value < TARGETS[key]
        missed += [] if ok else [key]
        by_cpu = f"  (by CPU time: {cpu_ratios[key]:.2f})" if key in cpu_ratios else ""
        print(f"  {key:24s} {value:7.2f}  target {'<' if key == 'peak_mb_2000' else '<='} {TARGETS[key]:<6}"
              f" {'met' if ok else 'MISSED'}{by_cpu}")
    if jobs:
        j1 = {key: medians[big]["smlint --jobs 1"] / medians[big][ref]
              for key, ref in (("peer", "check-jsonschema"), ("floor", "parse floor"))}
        print(f"  (--jobs 1 at {big} files: {j1['peer']:.2f}x peer, {j1['floor']:.2f}x floor)")
        if 500 in medians and 2000 in medians:
            scaling = medians[2000]["smlint --jobs 1"] / medians[500]["smlint --jobs 1"]
            print(f"  (--jobs 1 scaling 2000/500: {scaling:.2f})")
    print(f"  load average at start {info['machine']['load_average']}, end {os.getloadavg()}")  # type: ignore[index]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(info, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"results written to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
