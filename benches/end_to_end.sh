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
  # The government texts, through nl-ner itself (it reads directories and writes their text).
  "$bin" extract corpus/ --quiet > "$work/corpus-texts.jsonl"
  python3 - "$min_tokens" "$corpus" "$work/corpus-texts.jsonl" <<'PY'
import json, sys
min_tokens, out_path, gov = int(sys.argv[1]), sys.argv[2], sys.argv[3]
docs = []
# CoNLL-2002: one document per -DOCSTART- article, one sentence per line.
for split in ["ned.train", "ned.testa", "ned.testb"]:
    doc, sent = [], []
    for line in open(f"data/conll2002-nl/{split}", encoding="utf-8"):
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if sent:
                doc.append(" ".join(sent)); sent = []
            if cols and doc:
                docs.append((f"{split}-{len(docs)}", "\n".join(doc))); doc = []
            continue
        sent.append(cols[0])
    if sent: doc.append(" ".join(sent))
    if doc: docs.append((f"{split}-{len(docs)}", "\n".join(doc)))
# Europeana: no boundaries at all; cut into documents of 400 tokens.
words = [l.split()[0] for l in open("data/europeana-newspapers-nl/enp_NL.kb.bio", encoding="utf-8") if l.strip()]
for i in range(0, len(words), 400):
    docs.append((f"enp-{i // 400}", " ".join(words[i:i + 400])))
for line in open(gov, encoding="utf-8"):
    d = json.loads(line)
    docs.append((d["id"], d["text"]))
base_tokens = sum(len(t.split()) for _, t in docs)
copies = -(-min_tokens // base_tokens)
with open(out_path, "w", encoding="utf-8") as out:
    for r in range(copies):
        for doc_id, text in docs:
            out.write(json.dumps({"id": f"r{r}-{doc_id}", "text": text}, ensure_ascii=False) + "\n")
PY
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
