"""Mutation testing of smlint's core modules with mutmut 3 (not part of the test suite: it takes hours of CPU).

    .venv/bin/pip install 'mutmut>=3.8,<4'
    .venv/bin/python mutation/run.py                 # stage, run every mutant not yet judged, print the score
    .venv/bin/python mutation/run.py --fresh         # forget earlier results first (after the code changed)
    .venv/bin/python mutation/run.py 'smlint.schema.*'   # only these mutants (mutmut's name globs)
    .venv/bin/python mutation/run.py --score         # only print the score of the results so far

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
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutation"
LINKED = ("tests", "schemas", "rules", "examples", "docs", "README.md", "action.yml", "pyproject.toml",
          ".pre-commit-config.yaml", ".pre-commit-hooks.yaml")
EQUIVALENT = ROOT / "mutation" / "equivalent.txt"
KILLED = {1, 3, 37}  # a test failed, pytest itself failed, or the type checker rejected the mutant
STATUS = {0: "survived", 1: "killed", 3: "killed", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          37: "killed", None: "not checked", -9: "segfault", -11: "segfault"}


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
    found: dict[str, int | None] = {}
    for meta in sorted((STAGE / "mutants" / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        found.update(data.get("exit_code_by_key", {}))
    return found


def module_of(name: str) -> str:
    head = name.split(".x_")[0].split(".xǁ")[0]
    return head


def score(show_survivors: bool) -> None:
    found = results()
    equivalent = equivalents()
    stale = sorted(set(equivalent) - set(found))
    per_module: dict[str, Counter[str]] = {}
    for name, code in sorted(found.items()):
        counts = per_module.setdefault(module_of(name), Counter())
        if name in equivalent:
            counts["equivalent"] += 1
        else:
            counts[STATUS.get(code, "suspicious")] += 1
    print(f"{'module':38} {'killed':>7} {'total':>6} {'score':>7} {'equiv':>6}  other")
    totals: Counter[str] = Counter()
    for module, counts in sorted(per_module.items()):
        totals.update(counts)
        _line(module, counts)
    _line("ALL", totals)
    if stale:
        print(f"\n{len(stale)} mutant(s) listed in {EQUIVALENT.name} no longer exist (the code changed): "
              + ", ".join(stale[:10]))
    if show_survivors:
        print("\nsurvivors (`cd .mutation && ../.venv/bin/mutmut show NAME` prints the change):")
        for name, code in sorted(found.items()):
            if code not in KILLED and name not in equivalent:
                print(f"  {name}: {STATUS.get(code, 'suspicious')}")


def _line(module: str, counts: Counter[str]) -> None:
    killed = counts["killed"]
    judged = sum(v for k, v in counts.items() if k not in ("equivalent", "not checked"))
    other = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in ("killed", "equivalent"))
    percent = f"{100 * killed / judged:.1f}%" if judged else "-"
    print(f"{module:38} {killed:>7} {judged:>6} {percent:>7} {counts['equivalent']:>6}  {other}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="mutant name globs (default: every mutant)")
    parser.add_argument("--fresh", action="store_true", help="discard earlier results first")
    parser.add_argument("--score", action="store_true", help="only print the score of the results so far")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    args = parser.parse_args()
    if not args.score:
        stage(args.fresh)
        code = run(args.names)
        if code:
            return code
    score(args.survivors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
