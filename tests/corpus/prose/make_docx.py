"""Builds the corpus's Word policies with python-docx (no binary is committed): `build(folder)` writes
county-agency.docx, valley-group.docx and mountain-view-security.docx. Run
`python tests/corpus/prose/make_docx.py DIR` to look at them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

COUNTY_AGENCY: list[tuple[str, Any]] = [
    ("Title", "Social Media and Technology Policy"),
    ("control", [("Organisation", "Pine County Human Services"), ("Document type", "Policy"),
                 ("Version", "5.0"), ("Effective date", "March 1, 2026"), ("Last reviewed", "2026-03-01"),
                 ("Review interval", "Annual"), ("Approved by", "Agency Director, Director")]),
    ("Heading 1", "Purpose"),
    ("Normal", "This policy guides all Pine County Human Services social workers and case aides in their use "
               "of social media and technology with clients."),
    ("Heading 1", "Social media"),
    ("List Bullet", "Staff must not accept friend requests from clients or former clients."),
    ("List Bullet", "Staff must not post information about clients or cases on social media."),
    ("List Bullet", "Supervisors do not friend or follow the staff they supervise."),
    ("Heading 1", "Communication with clients"),
    ("Normal", "Staff contact clients only from agency-issued phones. Text messages are limited to "
               "appointment logistics and are sent only after the client signs the agency's texting consent."),
    ("rules", [("Topic", "Rule"), ("Video", "FaceTime and WhatsApp video are not permitted for client "
                                            "contacts."),
               ("Email", "Email containing client information is sent encrypted."),
               ("Passwords", "Staff do not share passwords or accounts.")]),
    ("Heading 1", "Breaches"),
    ("Normal", "Clients are notified of a breach of their information within 30 days."),
]

VALLEY_GROUP: list[tuple[str, Any]] = [
    ("Heading 1", "Valley Group Counseling — Technology Practices"),
    ("Heading 2", "Testimonials"),
    ("Normal", "We may invite former clients to write a testimonial, but we never ask current clients."),
    ("Heading 2", "Searching online"),
    ("Normal", "A counselor may search for a client online only for a documented clinical reason and with the "
               "client's consent."),
    ("Heading 2", "Devices"),
    ("Normal", "Laptops are encrypted with BitLocker and lock after five minutes of inactivity. "
               "Multi-factor authentication is required for email."),
    ("Heading 2", "Payments"),
    ("Normal", "We accept Zelle. Before a client chooses it, we explain that Zelle payments show our name "
               "to the client's bank and anyone who sees their statements."),
]

MOUNTAIN_VIEW: list[tuple[str, Any]] = [
    ("Title", "Mountain View Clinic — HIPAA Security Policy"),
    ("control", [("Organisation", "Mountain View Clinic"), ("Document type", "Policy"), ("Version", "3"),
                 ("Effective date", "2026-04-01"), ("Last reviewed", "2026-04-01"),
                 ("Approved by", "Dr. Ana Ruiz, Medical Director")]),
    ("Heading 1", "Roles"),
    ("Normal", "The office manager is our security officer. Complaints about privacy go to the office manager "
               "as well, who is also the privacy officer."),
    ("Heading 1", "Risk analysis"),
    ("Normal", "Our most recent risk analysis was finished on 2025-11-30. We update it annually."),
    ("Heading 1", "Devices"),
    ("rules", [("Topic", "Rule"),
               ("Laptops", "Full-disk encryption (BitLocker) is turned on for every laptop."),
               ("Phones", "Clinic phones are managed and can be erased remotely if lost."),
               ("Personal devices", "Personal devices are not allowed for clinic work."),
               ("Old equipment", "Hard drives are shredded by a certified vendor before equipment is discarded.")]),
    ("Heading 1", "Audit"),
    ("Normal", "The EHR records who views and changes each chart, and the office manager examines these logs "
               "every quarter."),
    ("Heading 1", "Breaches"),
    ("List Number", "We notify affected patients within 30 days."),
    ("List Number", "Our business associates must tell us of a breach within 30 days."),
    ("Heading 1", "Privacy"),
    ("Normal", "Patients may request their records and we provide them within 15 days."),
    ("Normal", "Psychotherapy notes may be shared with insurers without a separate authorization."),
]


def build(folder: Path) -> dict[str, Path]:
    import docx

    out = {}
    for name, spec, properties in (("county-agency.docx", COUNTY_AGENCY, {}),
                                   ("valley-group.docx", VALLEY_GROUP,
                                    {"category": "Policy", "title": "Technology Practices", "version": "2"}),
                                   ("mountain-view-security.docx", MOUNTAIN_VIEW, {})):
        document = docx.Document()
        for key, value in properties.items():
            setattr(document.core_properties, key, value)
        for style, content in spec:
            if style in ("control", "rules"):
                table = document.add_table(rows=0, cols=2)
                for left, right in content:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = left, right
            else:
                document.add_paragraph(content, style=style)
        path = folder / name
        document.save(str(path))
        out[name] = path
    return out


if __name__ == "__main__":
    for written in build(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(written)
