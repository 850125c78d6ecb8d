"""The `fhir:` settings of a project configuration, as one frozen record (a leaf module: no smlint imports).

```yaml
fhir:
  text_match: true                 # map items by their linkId and text (docs/formats.md); false turns it off
  link_ids:                        # linkId -> one concept, or a list of concepts
    consent-8: [social_media_education.location_checkins, social_media_education.rating_sites]
    sms-optin: service.texting
  questionnaires:                  # per Questionnaire: by its url, its id, or its file's path from here
    https://ehr.example.com/fhir/Questionnaire/intake:
      services: [in-person, telehealth]
      acknowledges_policy: "2026.2"
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from smlint.records import record


@record
class QuestionnaireSettings:
    """What the configuration states about one Questionnaire, for facts its items cannot carry."""

    services: tuple[str, ...] | None = None
    acknowledges_policy: str | None = None
    supplements: str | None = None  # the form this one is signed in addition to (a path or an id)
    audience: tuple[str, ...] | None = None  # who signs it as the client: adults, minors, families, ...

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> QuestionnaireSettings:
        services = data.get("services")
        policy = data.get("acknowledges_policy")
        supplements = data.get("supplements")
        audience = data.get("audience")
        return cls(services=tuple(services) if isinstance(services, list) else None,
                   audience=tuple(audience) if isinstance(audience, list) else None,
                   acknowledges_policy=str(policy) if policy is not None else None,
                   supplements=str(supplements) if supplements is not None else None)

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.services is not None:
            data["services"] = list(self.services)
        if self.acknowledges_policy is not None:
            data["acknowledges_policy"] = self.acknowledges_policy
        if self.supplements is not None:
            data["supplements"] = self.supplements
        if self.audience is not None:
            data["audience"] = list(self.audience)
        return data


@record
class FhirSettings:
    """How FHIR Questionnaire items map to smlint's concepts (docs/formats.md)."""

    link_ids: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    text_match: bool = True
    questionnaires: Mapping[str, QuestionnaireSettings] = field(default_factory=dict)
    base: str = ""  # the configuration's folder: `questionnaires` keys that are paths are relative to it

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None, base: str = "") -> FhirSettings:
        """From the (schema-validated) `fhir:` mapping of a configuration in the folder `base`."""
        data = data or {}
        link_ids = {str(key): tuple(value) if isinstance(value, list) else (str(value),)
                    for key, value in (data.get("link_ids") or {}).items()}
        questionnaires = {str(key): QuestionnaireSettings.from_data(value)
                          for key, value in (data.get("questionnaires") or {}).items() if isinstance(value, Mapping)}
        return cls(link_ids, bool(data.get("text_match", True)), questionnaires, base)

    def as_data(self) -> dict[str, Any]:
        """Plain data: `config --show` prints it and the project cache's fingerprint hashes it."""
        return {"text_match": self.text_match,
                "link_ids": {key: list(value) if len(value) != 1 else value[0] for key, value in self.link_ids.items()},
                "questionnaires": {key: value.as_data() for key, value in self.questionnaires.items()}}

    def over(self, base: FhirSettings) -> FhirSettings:
        """These settings laid over `base` (the command line's over a project's): maps are merged key by key."""
        return FhirSettings({**base.link_ids, **self.link_ids}, self.text_match and base.text_match,
                            {**base.questionnaires, **self.questionnaires}, self.base or base.base)

    def for_questionnaire(self, data: Mapping[str, Any], path: str = "") -> QuestionnaireSettings | None:
        """The settings stated for this Questionnaire: by its canonical `url`, else by its `id`, else by the
        path of its file (`path`, as shown to the user) relative to the configuration's folder."""
        for key in ("url", "id"):
            value = data.get(key)
            if isinstance(value, str) and value in self.questionnaires:
                return self.questionnaires[value]
        if path and self.base:
            here = os.path.normpath(os.path.abspath(path))  # noqa: PTH100 - a display path relative to the cwd
            for key, stated in self.questionnaires.items():
                if os.path.normpath(os.path.join(self.base, key)) == here:  # noqa: PTH118
                    return stated
        return None
