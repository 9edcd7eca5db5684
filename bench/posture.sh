#!/usr/bin/env bash
# Posture benchmark: a repository with 50,000 commits (10 authors from 4 organisations, one
# commit an hour, a tag every 500 commits, workflows, a Dockerfile and scripts in the tree),
# built in a second with `git fast-import`, then assessed with the release binary.
#
#   bench/posture.sh [COMMITS]      # default 50000; prints the wall times of 3 runs
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-50000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ossgate/target}"
cargo build --release --quiet -p ossgate-cli
BIN="$CARGO_TARGET_DIR/release/ossgate"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REPO="$WORK/big"
git init -q -b main "$REPO"
python3 - "$N" > "$WORK/stream" <<'PY'
import sys
n = int(sys.argv[1])
start = 1_700_000_000
files = {
    ".github/workflows/ci.yml": "on: [push]\npermissions: read-all\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -r requirements.txt\n",
    "Dockerfile": "FROM python:3.12\nRUN curl -s https://x.example/i.sh | sh\n",
    "SECURITY.md": "Report vulnerabilities to security@acme.example\n",
    "LICENSE": "Apache License 2.0\n",
}
orgs = ["acme.example", "globex.example", "initech.example", "gmail.com"]
out = sys.stdout.buffer
def data(b):
    out.write(b"data %d\n" % len(b)); out.write(b)
for i in range(1, n + 1):
    who = i % 10
    t = start + i * 3600
    out.write(b"commit refs/heads/main\nmark :%d\n" % i)
    out.write(("author dev%d <dev%d@%s> %d +0000\n" % (who, who, orgs[who % 4], t)).encode())
    out.write(("committer dev%d <dev%d@%s> %d +0000\n" % (who, who, orgs[who % 4], t)).encode())
    msg = "change %d\n" % i
    if i % 7 == 0:
        msg += "\nReviewed-by: dev0 <dev0@acme.example>\n"
    data(msg.encode())
    if i > 1:
        out.write(b"from :%d\n" % (i - 1))
    if i == 1:
        for p, c in files.items():
            out.write(("M 100644 inline %s\n" % p).encode()); data(c.encode())
    out.write(("M 100644 inline src/f%d.txt\n" % (i % 200)).encode()); data(b"%d\n" % i)
    out.write(b"\n")
    if i % 500 == 0:
        out.write(("tag v%d\nfrom :%d\ntagger rel <rel@acme.example> %d +0000\n" % (i // 500, i, t)).encode())
        data(b"release\n")
PY
(cd "$REPO" && git fast-import --quiet < "$WORK/stream" && git checkout -q main && git gc -q)
echo "repository: $(git -C "$REPO" rev-list --count HEAD) commits, $(git -C "$REPO" tag | wc -l) tags"
for run in 1 2 3; do
  s=$(date +%s.%N)
  "$BIN" posture "$REPO" --format json > "$WORK/out.json"
  e=$(date +%s.%N)
  printf 'run %d: %.2f s\n' "$run" "$(echo "$e - $s" | bc)"
done
python3 -c "import json; r=json.load(open('$WORK/out.json')); print('score', r['score'], 'commits', r['ossgate']['commits'], 'releases', r['ossgate']['releases'])"
