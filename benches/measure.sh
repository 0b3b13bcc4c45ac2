# Sourced by benches/end_to_end.sh and benches/ab.sh: one timed run of `nl-ner extract`.
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
