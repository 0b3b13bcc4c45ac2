# Sourced by benches/end_to_end.sh, benches/ab.sh and benches/models.sh: the benchmark corpus, the
# machine line, and one timed run of `nl-ner extract`.
#
# bench_corpus BIN MIN_TOKENS: makes (once) $work/corpus-MIN_TOKENS.jsonl, at least MIN_TOKENS words
# built from the repository's data by benches/make_corpus.py, and prints its path.
bench_corpus() {
  local bin=$1 min_tokens=$2
  local corpus="$work/corpus-${min_tokens}.jsonl"
  if [ ! -s "$corpus" ]; then
    "$bin" extract corpus/ --quiet > "$work/corpus-texts.jsonl"
    python3 benches/make_corpus.py "$min_tokens" "$corpus" "$work/corpus-texts.jsonl" >&2
  fi
  echo "$corpus"
}

# machine_line: cores, CPU model and load, for the header of a result.
machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

#
# measure BIN CORPUS [EXTRACT OPTIONS...]: runs `BIN extract CORPUS -o /dev/null OPTIONS` under GNU
# time and prints "wall_seconds cpu_seconds peak_rss_kb tokens" (tokens from nl-ner's summary line).
# Needs $work (a scratch directory).
measure() {
  local bin=$1 corpus=$2
  shift 2
  local log="$work/time.log"
  /usr/bin/time -v "$bin" extract "$corpus" -o /dev/null "$@" 2> "$log"
  local summary secs cpu rss tokens
  summary=$(grep '^nl-ner:' "$log")
  secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  tokens=$(echo "$summary" | sed -E 's/.* ([0-9]+) tokens,.*/\1/')
  echo "$secs $cpu $rss $tokens"
}

# median_run RUNS BIN CORPUS [EXTRACT OPTIONS...]: RUNS timed runs; prints the median run by wall time
# (measure's four fields) and the highest peak RSS of all runs, in kB, as a fifth.
median_run() {
  local runs=$1
  shift
  local results median max_rss
  results=$(for _ in $(seq "$runs"); do measure "$@"; done | sort -n)
  median=$(echo "$results" | sed -n "$(( (runs + 1) / 2 ))p")
  max_rss=$(echo "$results" | awk '{ if ($3 > m) m = $3 } END { print m }')
  echo "$median $max_rss"
}
