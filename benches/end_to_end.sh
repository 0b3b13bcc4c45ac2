#!/usr/bin/env bash
# End-to-end throughput and peak memory of `nl-ner extract`.
#
# Builds a JSONL corpus of at least MIN_TOKENS whitespace tokens from the repository's data
# (CoNLL-2002 Dutch train/testa/testb and Europeana Newspapers NL text, untokenized back to
# running text, plus the Dutch government texts in corpus/), repeated with distinct ids until it is
# large enough, then runs the release binary over it at 1 and 2 threads and reports tokens/s,
# documents/s and peak RSS (GNU time). Usage: benches/end_to_end.sh [MIN_TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
min_tokens=${1:-5000000}
work=target/bench
mkdir -p "$work"
corpus="$work/corpus-${min_tokens}.jsonl"

cargo build --release --quiet
bin=target/release/nl-ner

if [ ! -s "$corpus" ]; then
  base="$work/base.jsonl"
  {
    # CoNLL: one document per -DOCSTART- article, sentences joined by newlines.
    for f in data/conll2002-nl/ned.train data/conll2002-nl/ned.testa data/conll2002-nl/ned.testb; do
      awk -v src="$(basename "$f")" '
        function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return s }
        function flush_doc() { if (doc != "") { printf "{\"id\":\"%s-%d\",\"text\":\"%s\"}\n", src, n++, esc(doc) } doc = "" }
        $1 == "-DOCSTART-" { if (sent != "") { doc = doc sent "\\n"; sent = "" } flush_doc(); next }
        NF == 0 { if (sent != "") { doc = doc sent "\\n"; sent = "" } next }
        { sent = (sent == "" ? $1 : sent " " $1) }
        END { if (sent != "") doc = doc sent "\\n"; flush_doc() }' "$f"
    done
    # Europeana: no boundaries at all; cut into documents of 400 tokens.
    awk '
      function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
      NF > 0 { doc = (doc == "" ? $1 : doc " " $1); k++ }
      k == 400 { printf "{\"id\":\"enp-%d\",\"text\":\"%s\"}\n", n++, esc(doc); doc = ""; k = 0 }
      END { if (doc != "") printf "{\"id\":\"enp-%d\",\"text\":\"%s\"}\n", n++, esc(doc) }' \
      data/europeana-newspapers-nl/enp_NL.kb.bio
  } > "$base"
  # The government texts, through nl-ner itself (it reads directories and writes JSON-escaped text).
  "$bin" extract corpus/ --quiet | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False))' >> "$base"
  base_tokens=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].split()) for l in open(sys.argv[1])))' "$base")
  copies=$(( (min_tokens + base_tokens - 1) / base_tokens ))
  for i in $(seq 1 "$copies"); do sed "s/^{\"id\":\"/{\"id\":\"r${i}-/" "$base"; done > "$corpus"
  rm "$base"
fi

words=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].split()) for l in open(sys.argv[1])))' "$corpus")
docs=$(wc -l < "$corpus")
echo "corpus: $corpus, $docs documents, $words whitespace-separated words, $(du -h "$corpus" | cut -f1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for threads in 1 2; do
  log="$work/time-$threads.log"
  /usr/bin/time -v "$bin" extract "$corpus" -o /dev/null --threads "$threads" 2> "$log"
  summary=$(grep '^nl-ner:' "$log")
  secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  tokens=$(echo "$summary" | sed -E 's/.* ([0-9]+) tokens,.*/\1/')
  awk -v t="$threads" -v s="$secs" -v n="$tokens" -v d="$docs" -v r="$rss" 'BEGIN {
    printf "threads=%s  wall=%.2fs  tokens=%d  tokens/s=%.0f  docs/s=%.0f  peak RSS=%.0f MB\n", t, s, n, n / s, d / s, r / 1024 }'
done
