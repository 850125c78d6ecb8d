"""Real formats smlint reads besides its own YAML: FHIR R4 Questionnaires (intake forms), raw
exports from vendors' APIs (Zoom settings, the Stripe account object, a Square merchant/locations export, a
Twilio Messaging Service), the settings that CISA's ScubaGoggles (Google Workspace) and ScubaGear
(Microsoft 365) export, the Cloud Identity Policy API's `policies` list, a Google Business Profile reviews
export, pages of the practice's website, and Markdown and Word policies.

The kinds themselves are declared in `smlint.kinds`. A file in one of these formats is recognised by its
shape (`shapes.py`), by its file name (`website.py`), or, for an export, because a vendor file names it
under `export.file` (`exports.py`); `views.py` derives the documents the rules see from a loaded one.
This package module imports nothing, so that importing one format never imports the others.
"""
