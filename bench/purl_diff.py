"""Compares ossgate's inventory JSON with a CycloneDX SBOM (Trivy's): prints the SBOM's
component count and the number of its packages ossgate lacks, then lists those on stderr.

Packages are compared by (purl type, namespace/name, version), case-folded, with `%40`
decoded, and PyPI names in PEP 503 form, so spelling differences between tools do not count.
"""
import json
import re
import sys
from urllib.parse import unquote


def key(purl):
    m = re.match(r"pkg:([^/]+)/([^@?#]+)@([^?#]+)", purl or "")
    if not m:
        return None
    typ, name, version = m.group(1), unquote(m.group(2)).lower(), unquote(m.group(3))
    if typ == "pypi":
        name = re.sub(r"[-_.]+", "-", name)
    if typ == "golang":
        version = version.lstrip("v")
    return (typ, name, version)


def walk(components):
    for c in components or []:
        yield c
        yield from walk(c.get("components"))


ours = {key(c["purl"]) for c in json.load(open(sys.argv[1]))["components"]}
sbom = json.load(open(sys.argv[2]))
theirs = {key(c.get("purl")) for c in walk(sbom.get("components")) if c.get("purl")}
theirs.discard(None)
lacking = sorted(k for k in theirs if k not in ours)
print(len(theirs), len(lacking))
for k in lacking:
    print("  lacks", "/".join(k[:2]) + "@" + k[2], file=sys.stderr)
