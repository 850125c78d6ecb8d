"""Mutation testing of smlint's core modules with mutmut 3 (not part of the test suite: it takes hours of CPU).

    .venv/bin/pip install 'mutmut>=3.8,<4'
    .venv/bin/python mutation/run.py                 # stage, run every mutant not yet judged, print the score
    .venv/bin/python mutation/run.py --fresh         # forget earlier results first (after the code changed)
    .venv/bin/python mutation/run.py 'smlint.schema.*'   # only these mutants (mutmut's name globs)
    .venv/bin/python mutation/run.py --score         # only print the score of the results so far
    .venv/bin/python mutation/run.py --sample 0.3    # a random 30% of each module's mutants (seeded), judged
    .venv/bin/python mutation/run.py --score --sample 0.3   # the score of that sample
    .venv/bin/python mutation/run.py --sample 0.1 'smlint.engine.*'   # the sample's mutants of these modules
    .venv/bin/python mutation/run.py --restat ...    # record again which tests reach each function first

mutmut names a mutant's module after its file's path, stripping only a leading `src.`; the tests import
`smlint.…` from `linter/smlint/`. So the run happens in a staging folder, `.mutation/` (git ignores it),
where `src` is a symbolic link to `linter/` and the other folders the tests read are links to the
checkout's. mutmut copies them into `.mutation/mutants/`, puts `mutants/src` first on `sys.path` and runs
the tests chosen in `mutation/setup.cfg` against each mutant. One worker, at low priority: the machine is
shared. Mutants listed in `mutation/equivalent.txt` (with the reason each cannot be told apart from the
original) are left out of the score. See docs/testing.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutation"
COPIED = ("schemas", "rules", "examples", "tests")  # folders mutmut copies whole into mutants/ (setup.cfg)
LINKED = ("tests", "schemas", "rules", "examples", "docs", "README.md", "action.yml", "pyproject.toml",
          ".pre-commit-config.yaml", ".pre-commit-hooks.yaml")
EQUIVALENT = ROOT / "mutation" / "equivalent.txt"
# Functions that run while their module is imported (`CHECKS = _registry()`): mutmut switches mutants inside one
# process that imported the code already, so their mutants never take effect there. `--import-time` judges
# them one by one in a fresh process that imports the code with the mutant switched on, against these tests.
# Checks declare themselves when their modules are imported (`@artifact_check(...)`, `param(...)` in a parameters
# dataclass, `enum(...)`, `_text = _expect(...)`): every mutant of those functions, closures included, is one.
IMPORT_TIME = tuple(f"smlint.checks.{module}.x_{function}__mutmut_" for module, functions in (
    ("base", ("_declare", "_doc", "artifact_check", "repository_check", "tool_check", "declared")),
    ("params", ("_expect", "_scalar", "enum", "integer", "texts", "nested_check", "param", "rule_param")),
) for function in functions)
IMPORT_TIME_TESTS = ("tests/unit/test_checks.py", "tests/unit/test_generated.py", "tests/golden",
                     "tests/acceptance/test_rules_commands.py",
                     "-k", "not test_rules_command_counts and not custom_rule")
# The tests that judge each module's mutants: mutmut runs, for a mutant, every selected test that reached its
# function (fastest first, up to the first failure), so a mutant that survives costs the time of all of them; the
# slow whole-run acceptance tests (adoption, output formats, golden outputs: 100 s of the 205 s) reach nearly every
# function. `narrow` keeps, for each module, the tests written about it (first match wins); the others still
# reach it through these. mutmut keeps which tests reach which function in mutants/mutmut-stats.json (written
# by its first run; this is applied before every later run, so a fresh stage's first run uses them all).
UNIT = "tests/unit/"
RULE_EXAMPLES = "tests/acceptance/test_rules_commands.py"  # every rule's own passing and failing examples
MODULE_TESTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("smlint.reporters", (UNIT, "tests/golden/", "tests/acceptance/test_output_formats.py",
                          "tests/hostile/test_markup_escaping.py")),
    ("smlint.suppress", (UNIT, "tests/acceptance/test_adoption.py", "tests/acceptance/test_directive_spans.py",
                         "tests/acceptance/test_waiver_edges.py")),
    ("smlint.gate", (UNIT, "tests/acceptance/test_adoption.py", "tests/acceptance/test_directive_spans.py",
                     "tests/acceptance/test_waiver_edges.py")),
    ("smlint.fingerprint", (UNIT, "tests/golden/", "tests/acceptance/test_adoption.py")),
    ("smlint.schema", (UNIT, "tests/acceptance/test_check_examples.py", "tests/acceptance/test_inputs.py",
                       RULE_EXAMPLES)),
    ("smlint.checks.params", (UNIT, "tests/acceptance/test_check_examples.py", RULE_EXAMPLES,
                              "tests/acceptance/test_custom_rules.py")),
    ("smlint.", (UNIT, "tests/acceptance/test_check_examples.py", RULE_EXAMPLES, "tests/acceptance/test_dated_rules.py",
                 "tests/acceptance/test_deadline_edges.py", "tests/acceptance/test_unknown_facts.py",
                 "tests/acceptance/test_related_locations.py", "tests/acceptance/test_supplements.py",
                 "tests/acceptance/test_unknown_kind_client_data.py", "tests/hostile/test_parser_exceptions.py")),
)
FRESH = STAGE / "fresh-results.json"
DETECTED = ("killed", "caught by type check", "timeout")  # a test failed or timed out (a loop), or mypy rejected it


def status(code: int | None) -> str:
    """mutmut's own name for a mutant's exit code: killed, survived, timeout, no tests, caught by type check, ..."""
    from mutmut.stats import status_by_exit_code

    return str(status_by_exit_code[code])


def stage(fresh: bool) -> None:
    if fresh and (STAGE / "mutants").exists():
        shutil.rmtree(STAGE / "mutants")
    STAGE.mkdir(exist_ok=True)
    links = {"src": ROOT / "linter", **{name: ROOT / name for name in LINKED}}
    if (ROOT.parent / "shared").exists():  # tests that read ../shared find it beside .mutation/mutants
        links["shared"] = ROOT.parent / "shared"
    for name, target in links.items():
        link = STAGE / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    shutil.copy2(ROOT / "mutation" / "setup.cfg", STAGE / "setup.cfg")
    prune_deleted()


def prune_deleted() -> None:
    """mutmut copies the source and the `also_copy` folders into `mutants/` but never removes a file the
    checkout has since deleted or renamed: a renamed rule file would then load twice. Remove those files."""
    mutants = STAGE / "mutants"
    for name in COPIED:
        source, copied = ROOT / name, mutants / name
        if not copied.is_dir():
            continue
        for path in sorted(copied.rglob("*"), reverse=True):
            relative = path.relative_to(copied)
            if "__pycache__" in relative.parts or path.name.startswith("mutmut"):
                continue
            if path.is_file() and not (source / relative).exists():
                path.unlink()


def restat() -> None:
    """Make mutmut record again which tests reach each function. Its stats are incremental: a function added
    or rewritten since they were recorded (reporters' `chunks`, written piece by piece) can stay with no test at
    all, or with none of the tests that reach it now, and its mutants are then reported "no tests" or judged by
    too few tests ("survived"). A run after functions were added should start with this (--fresh does too)."""
    stats = STAGE / "mutants" / "mutmut-stats.json"
    if stats.exists():
        stats.unlink()


def unreached(found: dict[str, int | None]) -> list[str]:
    """Functions whose mutants no test reached: their stats may be stale (see `restat`)."""
    return sorted({name.partition("__mutmut_")[0] for name, code in found.items()
                   if code is not None and status(code) == "no tests"})


def narrow() -> None:
    """Keep, for each function, only the tests of its module (`MODULE_TESTS`) among those mutmut saw reach it."""
    stats_file = STAGE / "mutants" / "mutmut-stats.json"
    if not stats_file.exists():
        return
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    for function, tests in stats["tests_by_mangled_function_name"].items():
        allowed = next(paths for prefix, paths in MODULE_TESTS if function.startswith(prefix))
        stats["tests_by_mangled_function_name"][function] = [t for t in tests if t.startswith(allowed)]
    stats_file.write_text(json.dumps(stats), encoding="utf-8")


def run(names: list[str]) -> int:
    mutmut = Path(sys.executable).parent / "mutmut"
    if not mutmut.exists():
        sys.exit("mutmut is not installed in this environment: .venv/bin/pip install 'mutmut>=3.8,<4'")
    path = os.pathsep.join((str(mutmut.parent), os.environ.get("PATH", "")))
    env = {**os.environ, "SMLINT_NO_CACHE": "1", "MYPYPATH": "src", "PATH": path}
    return subprocess.call(["nice", "-n", "15", str(mutmut), "run", "--max-children", "1", *names], cwd=STAGE, env=env)


def equivalents() -> dict[str, str]:
    """`mutant-name  reason` per line; '#' starts a comment line."""
    listed: dict[str, str] = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, why = line.strip().partition(" ")
                listed[name] = why.strip()
    return listed


def results() -> dict[str, int | None]:
    """Each mutant's exit code from mutmut (None: not judged yet); import-time mutants from `--import-time`."""
    found: dict[str, int | None] = {}
    for meta in sorted((STAGE / "mutants" / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.update(data.get("exit_code_by_key", {}))
    fresh = json.loads(FRESH.read_text(encoding="utf-8")) if FRESH.exists() else {}
    for name in found:
        if name.startswith(IMPORT_TIME) and found[name] != 37:  # 37: mypy rejected it, wherever it runs
            found[name] = fresh.get(name, {}).get("code")
        elif name in fresh and found[name] not in (1, 3, 37):  # judged in a fresh process (--recheck)
            found[name] = fresh[name]["code"]
    return found


def judge_import_time(names: list[str]) -> None:
    """Run the import-time mutants among `names` each in a fresh process (see IMPORT_TIME)."""
    found = results()
    judge_fresh([n for n in names if n.startswith(IMPORT_TIME) and found.get(n) != 37], list(IMPORT_TIME_TESTS))


def judge_fresh(names: list[str], tests: list[str]) -> None:
    """Judge each mutant in a fresh process against `tests` (`--recheck`: a survivor after a test was added for
    it, without restarting mutmut); a result is kept while the mutant's function is unchanged."""
    fresh: dict[str, dict[str, int | str]] = json.loads(FRESH.read_text(encoding="utf-8")) if FRESH.exists() else {}
    mutants = STAGE / "mutants"
    for path in tests:  # the tests as they are now, not as mutmut copied them when its run began
        test_file = ROOT / path.split("::")[0]
        if test_file.is_file():
            shutil.copy2(test_file, mutants / path.split("::")[0])
    for name in names:
        source = _function_hash(name)
        if name in fresh and fresh[name].get("hash") == source and fresh[name].get("tests") == " ".join(tests):
            continue
        env = {**os.environ, "SMLINT_NO_CACHE": "1", "MUTANT_UNDER_TEST": name, "PYTHONPATH": "src"}
        try:
            done = subprocess.run(["nice", "-n", "15", sys.executable, "-m", "pytest", "-x", "-q", "-p",
                                   "no:cacheprovider", *tests], cwd=mutants, env=env, timeout=900,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            code = 1 if done.returncode not in (0, 5) else done.returncode
        except subprocess.TimeoutExpired:
            code = 36
        fresh[name] = {"code": code, "hash": source, "tests": " ".join(tests)}
        FRESH.write_text(json.dumps(fresh, indent=1), encoding="utf-8")
        print(f"{name}: {status(code)}")


def _function_hash(name: str) -> str:
    """mutmut's hash of the function a mutant belongs to (changes when the function's code changes)."""
    function = name.partition("__mutmut_")[0].rpartition(".")[2]
    for meta in (STAGE / "mutants" / "src").rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        if name in data.get("exit_code_by_key", {}):
            return str(data.get("hash_by_function_name", {}).get(function, ""))
    return ""


def generate() -> None:
    """Write the mutants of the staged code (mutmut's own first phase), keeping the results of every function
    that did not change, so that a sample can be drawn from the current mutants before running any."""
    script = ("import os; from mutmut.mutation.trampoline import set_mutant_under_test; "
              "from mutmut.utils.file_utils import copy_src_dir; from mutmut.__main__ import create_mutants; "
              "set_mutant_under_test('mutant_generation'); os.makedirs('mutants', exist_ok=True); "
              "copy_src_dir(); create_mutants(1)")
    subprocess.run(["nice", "-n", "15", sys.executable, "-c", script], cwd=STAGE, check=True,
                   stdout=subprocess.DEVNULL)


def sample(fraction: float, seed: int) -> list[str]:
    """A seeded pseudo-random `fraction` of the mutants: a mutant is in it when the hash of its name falls
    below `fraction`, so a mutant stays in (or out) whatever else changes in the code, and a re-run after a
    change judges only the sampled mutants of the functions that changed."""
    def drawn(name: str) -> bool:
        digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
        return int.from_bytes(digest[:8], "big") < fraction * 2**64

    return sorted(name for name in results() if drawn(name))


def module_of(name: str) -> str:
    head = name.split(".x_")[0].split(".xǁ")[0]
    return head


def score(show_survivors: bool, only: list[str] | None = None) -> None:
    found = results()
    stale = sorted(set(equivalents()) - set(found))
    if only is not None:
        found = {name: found[name] for name in only if name in found}
        print(f"score of a sample of {len(found)} mutants")
    equivalent = equivalents()
    per_module: dict[str, Counter[str]] = {}
    for name, code in sorted(found.items()):
        counts = per_module.setdefault(module_of(name), Counter())
        if name in equivalent:
            counts["equivalent"] += 1
        else:
            counts[status(code)] += 1
    print(f"{'module':38} {'killed':>7} {'total':>6} {'score':>7} {'equiv':>6}  other")
    totals: Counter[str] = Counter()
    for module, counts in sorted(per_module.items()):
        totals.update(counts)
        _line(module, counts)
    _line("ALL", totals)
    if stale:
        print(f"\n{len(stale)} mutant(s) listed in {EQUIVALENT.name} no longer exist (the code changed): "
              + ", ".join(stale[:10]))
    stale_stats = unreached(found)
    if stale_stats:
        print(f"\nno test reached the mutants of {len(stale_stats)} function(s) ({', '.join(stale_stats[:5])}): if a "
              "test should, the stats are stale; run again with --restat")
    if show_survivors:
        print("\nsurvivors (`cd .mutation && ../.venv/bin/mutmut show NAME` prints the change):")
        for name, code in sorted(found.items()):
            if code is not None and status(code) not in DETECTED and name not in equivalent:
                print(f"  {name}: {status(code)}")


def _line(module: str, counts: Counter[str]) -> None:
    """Killed counts mutants the tests or mypy rejected and those that made the tests time out (a loop);
    the total leaves out equivalent mutants and those not judged yet."""
    killed = sum(counts[k] for k in DETECTED)
    judged = sum(v for k, v in counts.items() if k not in ("equivalent", "not checked"))
    other = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in ("killed", "equivalent") and v)
    percent = f"{100 * killed / judged:.1f}%" if judged else "-"
    print(f"{module:38} {killed:>7} {judged:>6} {percent:>7} {counts['equivalent']:>6}  {other}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="mutant name globs (default: every mutant)")
    parser.add_argument("--fresh", action="store_true", help="discard earlier results first")
    parser.add_argument("--score", action="store_true", help="only print the score of the results so far")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument("--sample", type=float, help="judge (or score) only this fraction of each module's mutants")
    parser.add_argument("--seed", type=int, default=20, help="the sample's random seed (default 20)")
    parser.add_argument("--recheck", nargs="+", metavar="TEST",
                        help="judge the named mutants again, each in a fresh process, against these tests")
    parser.add_argument("--restat", action="store_true",
                        help="record again which tests reach each function before judging (after functions changed)")
    parser.add_argument("--import-time", action="store_true",
                        help="judge the mutants of functions run at import time (in the sample, if one is given)")
    args = parser.parse_args()
    chosen: list[str] | None = None
    if args.recheck:
        judge_fresh(args.names, args.recheck)
        args.score = True
    elif args.import_time:
        judge_import_time(sample(args.sample, args.seed) if args.sample else sorted(results()))
        args.score = True
    if not args.score:
        stage(args.fresh)
        names = args.names
        if args.sample:
            generate()
            chosen = sample(args.sample, args.seed)
            if args.names:  # the sample's mutants of the modules or functions named
                chosen = [n for n in chosen if any(fnmatch(n, glob) for glob in args.names)]
            found = results()
            names = [n for n in chosen if not n.startswith(IMPORT_TIME)
                     and (found.get(n) is None or status(found[n]) not in DETECTED)]
            print(f"sample: {len(chosen)} mutants, {len(names)} of them to judge (not judged yet, or not killed)")
            if not names:
                score(args.survivors, chosen)
                return 0
        if args.restat:
            restat()
        narrow()
        code = run(names)
        if code:
            return code
    elif args.sample:
        chosen = sample(args.sample, args.seed)
        if args.names:
            chosen = [n for n in chosen if any(fnmatch(n, glob) for glob in args.names)]
    score(args.survivors, chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
