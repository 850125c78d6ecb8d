"""The parse floor: compose every YAML and JSON file under a folder with ruamel.yaml's C composer, nothing else.

Run as a subprocess by `benchmarks/run.py`, so its time includes Python's start-up and the ruamel.yaml
import, as smlint's and check-jsonschema's do. Composing (not constructing) is what smlint's loader
needs: nodes with line and column marks. Nothing walks the nodes afterwards. Prints the number of files
and documents composed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ruamel.yaml.cyaml import CSafeLoader

SUFFIXES = (".yaml", ".yml", ".json")  # smlint composes JSON with the same composer


def files_under(top: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / name for name in sorted(filenames) if name.endswith(SUFFIXES))
    return found


def compose_file(path: Path) -> int:
    loader = CSafeLoader(path.read_text(encoding="utf-8"))
    documents = 0
    try:
        while loader.check_node():
            loader.get_node()
            documents += 1
    finally:
        loader.dispose()
    return documents


def main(argv: list[str]) -> int:
    files = [f for arg in argv for f in files_under(Path(arg))]
    documents = sum(compose_file(f) for f in files)
    print(f"{len(files)} files, {documents} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
