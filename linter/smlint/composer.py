"""ruamel.yaml's C composer with a lean resolver: nodes with marks, never constructed objects.

The stock safe loader resolves each node's tag through the general resolver, which walks path resolvers
and builds a fresh `Tag` per scalar: a fifth of the load time. smlint needs YAML 1.2's implicit tags
only, so the table here is taken once from ruamel's own 1.2 resolver (the same patterns, the same
order, hence the same tags) and each resolved tag is one shared `Tag`, which the loader recognises by
identity without decoding its text. Explicit tags (``!!str``, ``!foo``) are parsed by ruamel as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

TAG = "tag:yaml.org,2002:"
# Resolved tags a document may carry. `value` (a plain `=`) and `yaml` (a plain `!`, `&` or `*`) are
# YAML 1.1 curiosities that ruamel still resolves; here they are the text they look like.
_AS_TEXT = {TAG + "value", TAG + "yaml"}

CParser: Any
try:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]  # re-exported from the C extension
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import Resolver
    from ruamel.yaml.tag import Tag
except ImportError:  # pragma: no cover - depends on the installed wheel
    CParser = None

HAVE_C_PARSER = CParser is not None  # the C composer is 5-7x faster than the pure-Python one

# id of a shared resolved Tag -> its text (see `tag_text`)
SHARED_TAGS: dict[int, str] = {}


def _shared_tag(text: str) -> Any:
    tag = Tag(suffix=text)
    SHARED_TAGS[id(tag)] = text
    return tag


if CParser is not None:
    _STR_TAG, _SEQ_TAG, _MAP_TAG = (_shared_tag(TAG + name) for name in ("str", "seq", "map"))
    _RESOLVED = {TAG + "str": _STR_TAG}

    def _resolved(tag: str) -> Any:
        text = TAG + "str" if tag in _AS_TEXT else tag
        if text not in _RESOLVED:
            _RESOLVED[text] = _shared_tag(text)
        return _RESOLVED[text]

    def _implicit_table() -> dict[str, tuple[tuple[Any, Any], ...]]:
        """First character of a plain scalar -> (tag, pattern) pairs to try in order, as ruamel's
        `Resolver.resolve` tries them (the ``None`` entry applies to every first character)."""
        table = Resolver.yaml_implicit_resolvers
        anywhere = list(table.get(None, []))
        # ruamel wraps each pattern in a lazy proxy, one Python call per attribute: compile the real thing
        return {first: tuple((_resolved(tag), re.compile(pattern.pattern, pattern.flags))
                             for tag, pattern in [*pairs, *anywhere])
                for first, pairs in table.items() if first is not None}

    _IMPLICIT = _implicit_table()

    class LeanComposer(CParser):  # type: ignore[misc]  # a C extension type without stubs
        """ruamel's C parser and composer; tags resolved by the YAML 1.2 implicit rules, no path resolvers."""

        def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> Any:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, pattern in _IMPLICIT.get(value[:1], ()):
                        if pattern.match(value):
                            return tag
                return _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

        def descend_resolver(self, *args: Any) -> None:
            """No path resolvers: nothing to track while descending."""

        def ascend_resolver(self, *args: Any) -> None:
            """No path resolvers: nothing to track while ascending."""


def compose_all(text: str) -> Iterator[Any]:
    """The root node of each document in `text`, composed by the C composer (the pure-Python composer
    when the C extension is missing)."""
    return _drain(text, "node")


def parse_events(text: str) -> Iterator[Any]:
    """The parser's events for `text`, without composing. The C parser leaves no reference cycle behind
    (ruamel's `YAML().parse` does; the collector must not be left to find a large file's text)."""
    return _drain(text, "event")


def _drain(text: str, what: str) -> Iterator[Any]:
    """Every node (`what` = "node") or event ("event") of `text`; the C parser is disposed of at the end."""
    if CParser is not None:
        parser = LeanComposer(text)
        ready, take = getattr(parser, f"check_{what}"), getattr(parser, f"get_{what}")
        try:
            while ready():
                yield take()
        finally:
            parser.dispose()
        return
    from ruamel.yaml import YAML  # pragma: no cover - pure-Python fallback

    yaml = YAML(typ="safe", pure=True)  # pragma: no cover
    yield from (yaml.compose_all(text) if what == "node" else yaml.parse(text))  # pragma: no cover


def tag_text(node: Any) -> str:
    """A node's resolved tag as text. A shared tag is known by identity; `node.tag` re-decodes an
    explicit tag's text character by character, so a plain one is read from its suffix."""
    ctag = node.ctag
    shared = SHARED_TAGS.get(id(ctag))
    if shared is not None:
        return shared
    if ctag is not None and ctag.handle is None and isinstance(ctag.suffix, str) and "%" not in ctag.suffix:
        return str(ctag.suffix)
    return str(node.tag)
