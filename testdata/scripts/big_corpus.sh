#!/usr/bin/env bash
# Writes a large real-document corpus for memory and time measurements of
# the coverage command (README, "Performance"): N documents (default 30),
# each one seed document repeated to about SIZE bytes (default 4.9 MB), and
# a regions.toml listing them. The seeds' text is real; the repetition
# makes most items duplicates of earlier ones, as a long compilation of
# similar documents would.
#
#   testdata/scripts/big_corpus.sh /tmp/big 30 4900000
#   /usr/bin/time -v target/release/examples/coverage \
#       --manifest /tmp/big/regions.toml --out /tmp/big-out
set -euo pipefail
dir=${1:?usage: big_corpus.sh DIR [N] [SIZE]}
n=${2:-30}
size=${3:-4900000}
seeds="$(cd "$(dirname "$0")/../../seeds" && pwd)"
mkdir -p "$dir"
mapfile -t files < <(ls "$seeds"/*.txt | sort)
: > "$dir/regions.toml"
for i in $(seq 1 "$n"); do
  src=${files[$(( (i - 1) % ${#files[@]} ))]}
  out="$dir/doc$(printf %03d "$i").txt"
  : > "$out"
  while [ "$(stat -c %s "$out")" -lt "$size" ]; do cat "$src" >> "$out"; done
  # The seed's manifest entry, with this file and a label of its own.
  awk -v f="$(basename "$src")" 'BEGIN { RS = "" } index($0, "file = \"" f "\"") { print; print "" }' \
      "$seeds/regions.toml" |
    sed -e "s/^file = .*/file = \"$(basename "$out")\"/" \
        -e "s/^label = \"\(.*\)\"/label = \"\1 #$(printf %03d "$i")\"/" >> "$dir/regions.toml"
done
echo "wrote $n documents of about $size bytes to $dir"
