#!/usr/bin/env python3
"""Validate SBOMs with independent reference validators (not ossgate's own code).

CycloneDX JSON and XML: the strict validators of cyclonedx-python-lib, for the document's own
specVersion. SPDX JSON and tag-value: spdx-tools (the library behind `pyspdxtools`), which parses
the document and runs its validation. Prints one line per failing file and exits 1 if any fails.

    python3 .ci/sbom_reference.py FILE...
"""
import json
import sys

from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document


def cdx_version(text, xml):
    if xml:
        marker = "http://cyclonedx.org/schema/bom/"
        at = text.index(marker) + len(marker)
        version = text[at:at + 3]
    else:
        version = json.loads(text)["specVersion"]
    return SchemaVersion.from_version(version)


def check(path):
    text = open(path, encoding="utf-8").read()
    if path.endswith((".spdx.json", ".spdx")):
        doc = parse_file(path)
        messages = validate_full_spdx_document(doc)
        return [m.validation_message for m in messages]
    xml = path.endswith(".xml")
    fmt = OutputFormat.XML if xml else OutputFormat.JSON
    validator = make_schemabased_validator(fmt, cdx_version(text, xml))
    error = validator.validate_str(text)
    return [str(error)] if error else []


def main(paths):
    failed = 0
    for p in paths:
        try:
            errors = check(p)
        except Exception as e:  # a parse failure is a failure of the document
            errors = [f"{type(e).__name__}: {e}"]
        if errors:
            failed += 1
            print(f"{p}: INVALID")
            for e in errors[:10]:
                print(f"  {e}")
    print(f"{len(paths) - failed} of {len(paths)} SBOMs valid by the reference validators")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
