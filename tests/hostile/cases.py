"""Hostile and broken inputs, generated into a folder (nothing large is committed).

`build(root)` writes every case below `root` and returns what smlint must say about each file:
the rule ids it must report and, where the location is certain, the line and column of the first
finding of that rule. `benchmarks/hostile_suite.py` times a whole run over the same folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "compliant"
COMPLIANT_POLICY_YAML = ROOT / "tests" / "corpus" / "prose" / "examples" / "compliant-policy.yaml"  # as YAML
MARKER = "smlint-was-pwned"  # a file that a constructed !!python tag would create


@dataclass(frozen=True)
class Expect:
    """What smlint must report for one file: `rule` at (`line`, `column`) when given."""

    rule: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None


VENDOR = "kind: vendor\nname: Doxy.me\ncategory: video\nhandles_client_data: false\n"


def _encoding_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    yield "encoding/binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", [Expect("SM000", 3, 1)]
    yield "encoding/invalid-utf8.yaml", b"kind: policy\nname: caf\xe9\n", [Expect("SM000", 2, 10)]
    yield "encoding/nul-bytes.yaml", b"kind: vendor\nname: Zo\x00om\n", [Expect("SM000", 2, 9)]
    bom_crlf = ("\ufeff" + VENDOR + "name: Zoom\n").replace("\n", "\r\n").encode("utf-8")
    yield "encoding/bom-crlf.yaml", bom_crlf, [Expect("SM000", 5, 1, "/name")]
    yield "encoding/utf16-bom.yaml", (VENDOR + "category: email\n").encode("utf-16"), [Expect("SM000", 5, 1)]
    yield "encoding/utf16-no-bom.yaml", VENDOR.encode("utf-16-le"), [Expect("SM000", 1, 2)]
    yield "encoding/utf32.json", json.dumps({"kind": "vendor", "name": 5}).encode("utf-32"), [Expect("SM001")]


def _syntax_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    yield "syntax/tabs.yaml", b"kind: policy\nsections:\n\tposting: {text: x}\n", [Expect("SM000", 3, 1)]
    yield "syntax/unclosed-flow-seq.yaml", b"kind: vendor\nstores: [voicemail, recordings\nname: X\n", \
        [Expect("SM000")]
    yield "syntax/unclosed-flow-map.yaml", b"kind: vendor\nencryption: {in_transit: true\n", [Expect("SM000")]
    yield "syntax/unclosed.json", b'{"kind": "vendor", "name": "x"', [Expect("SM000", 1, 31)]
    multi = VENDOR + "---\n- a\nb: c\n---\nkind: vendor\n"
    yield "syntax/bad-multi-document.yaml", multi.encode(), [Expect("SM000", 7, 1)]
    yield "syntax/double-directive.yaml", b"%YAML 1.1\n%YAML 1.1\n---\nkind: vendor\n", [Expect("SM000", 2, 1)]
    yield "syntax/undefined-alias.yaml", b"kind: vendor\nname: *nowhere\n", [Expect("SM000", 2, 7)]


def _key_and_tag_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    yield "keys/duplicate.yaml", (VENDOR + "category: email\n").encode(), [Expect("SM000", 5, 1, "/category")]
    complex_keys = VENDOR + "? {a: 1}\n: mapping key\n? [a, b]\n: sequence key\n~: null key\n42: integer key\n"
    yield "keys/complex.yaml", complex_keys.encode(), [Expect("SM000", 5, 3), Expect("SM001", 9, 1, "/~0")]
    merge = "base: &b {name: Doxy.me}\n" + VENDOR.replace("name: Doxy.me\n", "<<: [*b, 5]\n")
    yield "keys/merge.yaml", merge.encode(), [Expect("SM000", 3, 10), Expect("SM001", 1, 1, "/base")]
    yield "tags/unknown-tag.yaml", (VENDOR + "owner: !secret office\n").encode(), [Expect("SM000", 5, 8, "/owner")]
    python_tags = (
        VENDOR
        + f"owner: !!python/object/apply:os.system ['touch {MARKER}']\n"
        + f"product: !!python/object/apply:subprocess.check_call [[touch, {MARKER}]]\n"
        + "edition: !!python/name:os.system\n"
        + f"settings: !!python/object/new:builtins.open ['{MARKER}', 'w']\n"
        + "stores: !!python/module:os\n"
    )
    yield "tags/python-tags.yaml", python_tags.encode(), [Expect("SM000", 5, 8, "/owner")]


def _value_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    policy = COMPLIANT_POLICY_YAML.read_text(encoding="utf-8")
    dates = policy.replace("effective: 2026-02-01", "effective: 2026-02-30").replace(
        "last_reviewed: 2026-11-02", "last_reviewed: 99999-11-02")
    yield "values/impossible-dates.yaml", dates.encode(), [Expect("SM001", 7, 1, "/effective"),
                                                          Expect("SM001", 8, 1, "/last_reviewed")]
    numbers = policy.replace("review_interval_months: 12", "review_interval_months: 1e400").replace(
        "auto_logoff_minutes: 10", "auto_logoff_minutes: .nan").replace("retention_years: 7", "retention_years: -.inf")
    yield "values/numbers.yaml", numbers.encode(), [
        Expect("SM001", 9, 1, "/review_interval_months"),
        Expect("SM001", pointer="/sections/electronic_communication/auto_logoff_minutes"),
        Expect("SM001", pointer="/sections/records/retention_years")]
    yield "values/huge-int.json", b'{"kind": "vendor", "name": ' + b"9" * 5000 + b"}", [Expect("SM000", 1, 28)]


def _shape_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    yield "shape/top-level-list.yaml", ("- " + VENDOR.replace("\n", "\n  ")).encode(), [Expect("SM003", 1, 1)]
    yield "shape/top-level-scalar.yaml", b"just some text\n", []
    yield "shape/empty.yaml", b"", []
    yield "shape/comments-only.yaml", b"# nothing here yet\n# still nothing\n", []
    yield "shape/kind-is-a-list.yaml", b"kind: [vendor]\nname: x\n", [Expect("SM003", 1, 1, "/kind")]


def _size_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    yield "size/billion-laughs.yaml", ("\n".join(bomb) + "\n").encode(), [Expect("SM002")]
    yield "size/deep-flow.yaml", b"[" * 20_000 + b"]" * 20_000, [Expect("SM002", 1, 101)]
    yield "size/deep-block-seq.yaml", b"- " * 20_000 + b"x\n", [Expect("SM002", 1, 201)]
    yield "size/deep-explicit-keys.yaml", b"? " * 20_000 + b"x\n", [Expect("SM002", 1, 201)]
    yield "size/deep-json.json", b"[" * 20_000 + b"]" * 20_000, [Expect("SM002", 1, 101)]
    yield "size/deep-mapping.yaml", b"{a: " * 20_000 + b"x" + b"}" * 20_000, [Expect("SM002")]
    yield "size/twenty-megabytes.yaml", VENDOR.encode() + b"# " + b"x" * (20 * 1024 * 1024) + b"\n", \
        [Expect("SM002", 1, 1)]
    long_value = VENDOR + "owner: " + "x" * (2 * 1024 * 1024) + "\n"
    yield "size/two-megabyte-line.yaml", long_value.encode(), [Expect("SM002", 5, 8, "/owner")]
    long_list = VENDOR + "stores: [" + "a, " * 700_000 + "a]\n"
    yield "size/two-megabyte-flow-line.yaml", long_list.encode(), [Expect("SM002")]


def _client_data_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    planted = (VENDOR + "owner: Office Manager\nsettings:\n"
               "  note: \"Test account for client John Smith, SSN 536-22-8714, DOB 03/14/1986, MRN 00482913\"\n")
    yield "client-data/planted.yaml", planted.encode(), [Expect("SM501", 7, 3), Expect("SM502", 7, 3),
                                                         Expect("SM503", 7, 3), Expect("SM505", 7, 3)]


def _file_cases(root: Path) -> list[tuple[str, list[Expect]]]:
    """Cases that are about the file system rather than the bytes."""
    made: list[tuple[str, list[Expect]]] = []
    folder = root / "files"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loop-a.yaml").symlink_to("loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to("loop-a.yaml")
    made += [("files/loop-a.yaml", [Expect("SM000", 1, 1)]), ("files/loop-b.yaml", [Expect("SM000", 1, 1)])]
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)
    (folder / "dangling.yaml").symlink_to("does-not-exist.yaml")
    made.append(("files/dangling.yaml", [Expect("SM000", 1, 1)]))
    spaced = "files/a name with spaces é ü 中文.yaml"
    (root / spaced).write_text(VENDOR + "name: again\n", encoding="utf-8")
    made.append((spaced, [Expect("SM000", 5, 1, "/name")]))
    undecodable = os.fsencode(str(folder)) + b"/bad-\xff-name.yaml"
    with open(undecodable, "wb") as handle:  # noqa: PTH123 - a name that is not valid UTF-8 needs bytes
        handle.write((VENDOR + "name: again\n").encode())
    made.append((os.fsdecode(b"files/bad-\xff-name.yaml"), [Expect("SM000", 5, 1, "/name")]))
    return made


def wrong_type_cases() -> Iterator[tuple[str, bytes, list[Expect]]]:
    """For every field at every level of each compliant example, a copy with that field's type wrong.

    Artifacts in smlint's own formats must get a finding at that field; real formats (FHIR
    Questionnaires, vendor exports) type only the fields smlint reads, so they must merely be checked
    without a crash (the hostile-suite test asserts no SM000 for them)."""
    from smlint.loader import load_file

    artifacts = [p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".json") and p.name != ".smlint.yaml"]
    for example in sorted([*artifacts, COMPLIANT_POLICY_YAML]):
        document = load_file(example, example.name).documents[0]
        for n, pointer in enumerate(p for p in sorted(document.positions) if p):
            data = _exports_anchored(json.loads(json.dumps(document.data)), example.parent)
            _replace(data, pointer)
            name = f"wrong-type/{example.stem}-{n:03d}.json"
            rule = "SM003" if pointer == "/kind" else "SM001"  # a kind that is not text: not an artifact
            if example.suffix == ".json":  # real formats (FHIR, vendor exports): only known fields are typed
                name = name.replace("wrong-type/", "wrong-type-formats/")
                yield name, json.dumps(data, indent=1).encode(), []
            else:
                yield name, json.dumps(data, indent=1).encode(), [Expect(rule, pointer=pointer)]


def _exports_anchored(data: Any, folder: Path) -> Any:
    """The data with the export files a vendor names (`export.file`, or each entry's) made absolute, so that a
    copy written elsewhere still names the example's exports (a missing one would be SM000, not the test)."""
    export = data.get("export") if isinstance(data, dict) else None
    for entry in export if isinstance(export, list) else [export]:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entry["file"] = str((folder / entry["file"]).resolve())
    return data


def _wrong(value: Any) -> Any:
    if isinstance(value, dict):
        return ["a list where a mapping belongs"]
    if isinstance(value, list):
        return {"a": "mapping where a list belongs"}
    if isinstance(value, str):
        return {"a": "mapping where text belongs"}
    return ["a list where a scalar belongs"]


def _replace(data: Any, pointer: str) -> None:
    from smlint.document import split

    *parents, last = split(pointer)
    target = data
    for segment in parents:
        target = target[int(segment)] if isinstance(target, list) else target[segment]
    key: Any = int(last) if isinstance(target, list) else last
    target[key] = _wrong(target[key])


def build(root: Path, *, wrong_types: bool = True) -> dict[str, list[Expect]]:
    """Write every case below `root`; return the expected findings per displayed path (relative to root)."""
    expected: dict[str, list[Expect]] = {}
    generators = [_encoding_cases(), _syntax_cases(), _key_and_tag_cases(), _value_cases(), _shape_cases(),
                  _size_cases(), _client_data_cases()]
    if wrong_types:
        generators.append(wrong_type_cases())
    for generator in generators:
        for name, content, expects in generator:
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            expected[name] = expects
    for name, expects in _file_cases(root):
        expected[name] = expects
    return expected
