#!/usr/bin/env sh
# Writes a small seed corpus for every fuzz target into fuzz/corpus/TARGET/
# from files already in the repository (the seed documents and those of
# the development sets, their manifests, the embedded taxonomy, the format
# fixtures, the minimized crash regressions). The grown corpora are not in git (see
# fuzz/README.md); this gives a fresh clone somewhere to start. Files are
# named by the SHA-1 of their content, as libFuzzer names them, so
# re-running adds nothing twice and never overwrites or deletes a file
# already in a corpus.
#
# Usage: fuzz/seed-corpus.sh [CORPUS_DIR]   (default: fuzz/corpus)
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$root/fuzz/corpus}"

# add TARGET FILE: copies FILE into TARGET's corpus under its SHA-1.
add() {
    mkdir -p "$corpus/$1"
    sum="$(sha1sum "$2" | cut -d' ' -f1)"
    [ -e "$corpus/$1/$sum" ] || cp "$2" "$corpus/$1/$sum"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for doc in "$root"/seeds/*.txt; do
    # Whole documents: decoding, ingestion, whole-document alignment, and
    # the outline parser (regional documents use the same 一、/（一） headings).
    add ingest "$doc"
    add document "$doc"
    add outline "$doc"
    # Sentences for the single-item alignment target: the first three of
    # each document that are at least 20 bytes long.
    awk -v RS='。' -v out="$tmp/$(basename "$doc" .txt)" '
        length($0) >= 20 && n < 3 { n++; f = out "-" n; printf "%s。", $0 > f; close(f) }
    ' "$doc"
done
for s in "$tmp"/*-*; do
    add align "$s"
done

# The composed development sets: more documents (one UTF-16) and their
# manifests.
for doc in "$root"/testdata/dev/*/docs/*.txt; do
    [ -f "$doc" ] || continue
    add ingest "$doc"
    add document "$doc"
done
for m in "$root"/seeds/regions.toml "$root"/testdata/dev/*/regions.toml; do
    if [ -f "$m" ]; then add manifest "$m"; fi
done
add taxonomy_file "$root/taxonomies/national_2017/taxonomy.toml"

# The format fixtures for format sniffing and extraction: Big5 text,
# UTF-16 without a byte-order mark, a DOCX, a ruled-table PDF, and the
# head of a GB2312 HTML page.
for f in big5.txt utf16le_nobom.txt numbered.docx table5.pdf; do
    add extract "$root/testdata/formats/$f"
done
head -c 4000 "$root/testdata/formats/html/000_816b764d93487ac6.html" > "$tmp/page.html"
add extract "$tmp/page.html"

# Crash regressions go back into their target's corpus, so fuzzing starts
# from them.
for crash in "$root"/fuzz/regressions/*; do
    [ -f "$crash" ] || continue
    target="${crash##*/}"
    target="${target%%-crash-*}"
    add "$target" "$crash"
done

for dir in "$corpus"/*/; do
    printf '%s: %s files\n' "$(basename "$dir")" "$(ls "$dir" | wc -l)"
done
