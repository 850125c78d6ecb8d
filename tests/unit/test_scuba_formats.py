"""Shape detection and the settings views of the Google Workspace, Microsoft 365 and Google reviews
exports; the `some` condition their rules use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smlint.checks.conditions import holds, regexes_in
from smlint.formats.shapes import detect
from smlint.formats.views import views
from smlint.loader import load_text
from smlint.model import Span

GWS_PROVIDER = {"policies": {"Top": {"gmail_auto_forwarding": {"enableAutoForwarding": False}}}}
POLICY_API = {"policies": [{"policyQuery": {"orgUnit": "orgUnits/a", "sortOrder": 1},
                            "setting": {"type": "settings/gmail.auto_forwarding",
                                        "value": {"enableAutoForwarding": True}}}]}


@pytest.mark.parametrize(("data", "kind"), [
    (GWS_PROVIDER, "google-workspace"),
    (POLICY_API, "google-workspace"),
    ({"MetaData": {"Tool": "ScubaGoggles"}, "Raw": {"policies": {}}}, "google-workspace"),
    ({"MetaData": {"Tool": "ScubaGear"}, "Raw": {}}, "microsoft-365"),
    ({"remote_domains": [], "transport_config": []}, "microsoft-365"),
    ({"remote_domains": []}, None),  # one marker is not enough
    ({"MetaData": {"Tool": "ScubaGoggles"}}, None),  # a results file without its settings
    ({"policies": {"auto": {"premium": 1}}}, None),
    ({"policies": [{"setting": {"type": "custom/x"}}]}, None),
    ({"reviews": [{"reviewId": "a", "starRating": "FIVE"}]}, "google-reviews"),
    ({"reviews": [], "totalReviewCount": 0}, "google-reviews"),
    ({"reviews": []}, None),
    ({"reviews": [{"title": "Q3 performance review"}]}, None),
    ({"kind": "Something", "reviews": [{"reviewId": "a", "starRating": "FIVE"}]}, None),
])
def test_detect_by_shape(data: dict[str, Any], kind: str | None) -> None:
    assert detect(data) == kind


def _doc(data: dict[str, Any]) -> Any:
    return load_text(json.dumps(data, indent=2), "gws.json", is_json=True).documents[0]


def test_provider_shape_needs_no_view() -> None:
    assert views(_doc(GWS_PROVIDER)) == []


def test_policy_api_view_regroups_settings_and_maps_pointers_back() -> None:
    doc = _doc({"policies": [
        {"policyQuery": {"orgUnit": "orgUnits/a", "sortOrder": 2},
         "setting": {"type": "settings/gmail.auto_forwarding", "value": {"enableAutoForwarding": False}}},
        {"policyQuery": {"orgUnit": "orgUnits/a", "sortOrder": 1},
         "setting": {"type": "settings/gmail.auto_forwarding", "value": {"enableAutoForwarding": True}}},
        {"policyQuery": {"orgUnit": "orgUnits/a", "group": "groups/g"},
         "setting": {"type": "settings/meet.automatic_recording", "value": {"enabled": True}}},
        {"setting": {"type": "settings/security.session_controls", "value": {"webSessionDuration": "60s"}}},
        "not a policy",
    ]})
    [view] = views(doc)
    assert (view.kind, view.validate) == ("google-workspace", False)
    assert view.data == {"policies": {
        "orgUnits/a": {"gmail_auto_forwarding": {"enableAutoForwarding": False}},  # sortOrder 2 wins over 1
        "orgUnits/a (group groups/g)": {"meet_automatic_recording": {"enabled": True}},
        "customer": {"security_session_controls": {"webSessionDuration": "60s"}}}}
    pointer = "/policies/orgUnits~1a/gmail_auto_forwarding/enableAutoForwarding"
    assert view.source_pointer(pointer) == "/policies/0/setting/value/enableAutoForwarding"
    assert view.locate(pointer) == (Span(11, 11, 11, 40), True)
    missing = "/policies/orgUnits~1a/gmail_auto_forwarding/other"
    assert view.source_pointer(missing) == "/policies/0/setting/value"


def test_results_file_view_is_the_raw_object_with_its_prefix() -> None:
    doc = _doc({"MetaData": {"Tool": "ScubaGear"}, "Raw": {"remote_domains": [{"AutoForwardEnabled": True}]}})
    [view] = views(doc)
    assert view.data == {"remote_domains": [{"AutoForwardEnabled": True}]}
    assert view.source_pointer("/remote_domains/0/AutoForwardEnabled") == "/Raw/remote_domains/0/AutoForwardEnabled"


def test_an_embedded_results_file_composes_both_prefixes() -> None:
    doc = load_text("kind: vendor\nname: M365\nexport:\n  format: microsoft-365\n  data:\n"
                    "    MetaData: {Tool: ScubaGear}\n    Raw: {remote_domains: [{AutoForwardEnabled: true}]}\n",
                    "v.yaml").documents[0]
    embedded, raw = views(doc)
    assert (embedded.prefix, raw.prefix) == ("/export/data", "/export/data/Raw")
    assert raw.locate("/remote_domains/0/AutoForwardEnabled") == (Span(7, 29, 7, 53), True)


def test_some_needs_one_value_to_pass_every_test() -> None:
    data = {"items": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}
    some = {"some": "/items/*", "where": [{"path": "/a", "equals": 1}, {"path": "/b", "equals": "y"}]}
    assert not holds(some, data)  # a=1 and b=y hold, but on different items
    assert holds({"some": "/items/*", "where": [{"path": "/a", "equals": 2}, {"path": "/b", "equals": "y"}]}, data)
    assert not holds({"some": "/missing/*", "where": {"path": "/a", "exists": False}}, data)
    assert holds({"not": some}, data)
    assert regexes_in({"some": "/items/*", "where": {"path": "/b", "matches": "^x"}}) == ["^x"]


def test_a_yaml_vendor_check_loads_none_of_the_new_readers(tmp_path: Path) -> None:
    """The one-file hook on a plain YAML vendor file pays nothing for the new formats: their readers (and
    the HTML parser) are imported only when such a file is in the project (then, as context, they are
    read once and cached)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent.parent
    (tmp_path / ".smlint.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "doxy-me.yaml").write_bytes((root / "examples" / "compliant" / "vendors" / "doxy-me.yaml").read_bytes())
    code = ("import sys; from smlint.cli import main; main(['check', 'doxy-me.yaml', '--today', '2026-03-01']); "
            "print(sorted(m for m in ('smlint.formats.scuba', 'smlint.formats.website', 'html.parser', 'smlint.prose', "
            "'smlint.clauses', 'markdown_it') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False,
                         env={"SMLINT_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert out.stdout.splitlines()[-1] == "[]", out.stdout + out.stderr
