#!/usr/bin/env bash
# bench/spark.sh [CAPTURE] [PACKETS_PER_FILE]
#
# The Spark job against the CLI on the same ring files: splits CAPTURE (default bench/work/capture.pcap, from
# bench/make-capture.sh) into ring files of PACKETS_PER_FILE packets (default 500,000) with editcap -c, as tcpdump -C
# would leave them, then times on those files, one after another:
#   cli-1     ./teardown analyze --threads 1   (one thread)
#   cli-2     ./teardown analyze --threads 2   (the multi-core pipeline)
#   local[1]  scripts/spark-local.sh with SPARK_MASTER=local[1]
#   local[2]  scripts/spark-local.sh with SPARK_MASTER=local[2]
# each asked for the CSV, the summary JSON and the timeline, and checks that every Spark run wrote the CLI's records
# (a multiset, flow ids aside), summary JSON and timeline. Prints wall and CPU seconds and peak RSS per run, and the
# machine's load average before each (other builds on the machine slow every figure). Work files in bench/work.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
capture="$(realpath "${1:-$root/bench/work/capture.pcap}")"
per_file="${2:-500000}"
work="$root/bench/work/spark"
rm -rf "$work"
mkdir -p "$work/ring"
editcap -c "$per_file" "$capture" "$work/ring/ring.pcap"
files=("$work"/ring/*)
echo "capture: $capture ($(stat -c %s "$capture") bytes), ${#files[@]} ring files of $per_file packets"
(cd "$root" && mvn -B -q -ntp -Pspark package -DskipTests -Dfuzz.skip=true)

run() { # NAME COMMAND...: times COMMAND, stderr to NAME.err
    local name="$1"
    shift
    echo "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "$name: %e s wall, %U s user, %S s system, %M KiB max RSS" -o "$work/$name.time" "$@" \
        > "$work/$name.out" 2> "$work/$name.err"
    cat "$work/$name.time"
}

for t in 1 2; do
    run "cli-$t" "$root/teardown" analyze "${files[@]}" -q --threads "$t" --csv "$work/cli-$t.csv" \
        --summary-json "$work/cli-$t.json" --timeline "$work/cli-$t.timeline.csv"
done
for m in 1 2; do
    SPARK_MASTER="local[$m]" TEARDOWN_JAVA_OPTS="-Xmx6g" run "local-$m" "$root/scripts/spark-local.sh" \
        "$work/ring/ring*" "$work/spark-$m"
done

rows() { # CSV files: data rows without flow_id, sorted
    for f in "$@"; do tail -n +2 "$f"; done | cut -d, -f2- | LC_ALL=C sort
}
rows "$work/cli-1.csv" > "$work/cli.rows"
cmp -s "$work/cli-1.json" "$work/cli-2.json" && echo "cli-2 summary JSON = cli-1's"
for m in 1 2; do
    rows "$work/spark-$m"/flows/*.csv > "$work/spark-$m.rows"
    if cmp -s "$work/cli.rows" "$work/spark-$m.rows"; then echo "local[$m] records = the CLI's ($(wc -l < "$work/cli.rows") rows)"
    else echo "local[$m] records DIFFER from the CLI's"; fi
    if cmp -s "$work/cli-1.json" "$work/spark-$m/summary.json"; then echo "local[$m] summary.json = the CLI's"
    else echo "local[$m] summary.json DIFFERS from the CLI's"; fi
    if cmp -s "$work/cli-1.timeline.csv" "$work/spark-$m/timeline/timeline.csv"; then echo "local[$m] timeline = the CLI's"
    else echo "local[$m] timeline DIFFERS from the CLI's"; fi
done
