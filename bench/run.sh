#!/usr/bin/env bash
# bench/run.sh [CAPTURE]
#
# Times teardown against tshark and argus on the same capture, in one run:
#   tshark -r FILE -q -z conv,tcp
#   argus -X -r FILE -w /dev/null
#   ./teardown analyze FILE --csv /dev/null
#     (or java -jar target/teardown-cli.jar analyze FILE --csv /dev/null
#      when the launcher is absent; a "not built" row when neither exists)
# Each tool's stdout goes to /dev/null. Wall seconds and peak RSS come from
# /usr/bin/time; each tool runs RUNS times and the median is reported.
# Prints a table to stdout and writes it to bench/results.txt.
#
# CAPTURE defaults to bench/work/capture.pcap, built by make-capture.sh if
# missing (about 3M packets; takes under a minute).
#
# Environment knobs (all optional):
#   RUNS=3               timed runs per tool
#   TSHARK_RUNS=3        timed runs for tshark ...
#   TSHARK_SLOW_SECS=120 ... reduced to 1 if its first run takes longer
#   TOOL_TIMEOUT=900     per-run time limit in seconds (a run that hits it fails)
#   TARGET_PACKETS=3000000  size of the capture built when CAPTURE is missing
#   RESULTS=bench/results.txt
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-3}
TSHARK_RUNS=${TSHARK_RUNS:-3}
TSHARK_SLOW_SECS=${TSHARK_SLOW_SECS:-120}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-900}
TARGET_PACKETS=${TARGET_PACKETS:-3000000}
RESULTS=${RESULTS:-$BENCH/results.txt}

log() { echo "run: $*" >&2; }

[[ $# -le 1 ]] || { echo "usage: $0 [CAPTURE]" >&2; exit 2; }
if [[ $# -eq 1 ]]; then
    CAPTURE=$1
    [[ -s $CAPTURE ]] || { echo "run: no such capture: $CAPTURE" >&2; exit 1; }
else
    CAPTURE=$BENCH/work/capture.pcap
    if [[ ! -s $CAPTURE ]]; then
        log "building $CAPTURE ($TARGET_PACKETS packets) with make-capture.sh"
        "$BENCH/make-capture.sh" "$CAPTURE" "$TARGET_PACKETS"
    fi
fi
CAPTURE=$(cd "$(dirname "$CAPTURE")" && pwd)/$(basename "$CAPTURE")

if [[ ! -x /usr/bin/time ]]; then
    log "installing the 'time' package for /usr/bin/time"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >&2
fi
for c in tshark argus capinfos editcap timeout; do
    command -v "$c" >/dev/null || { echo "run: missing command: $c" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/teardown-run.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# --- the capture -------------------------------------------------------------
if PACKETS=$(capinfos -c -M "$CAPTURE" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') \
        && [[ $PACKETS =~ ^[0-9]+$ ]]; then
    :
else
    PACKETS=$(tcpdump -r "$CAPTURE" -qn 2>/dev/null | wc -l)
fi
BYTES=$(stat -c %s "$CAPTURE")
(( PACKETS > 0 )) || { echo "run: capture has no packets" >&2; exit 1; }

# A 1000-packet slice: smoke test for teardown and each tool's fixed cost
# (process start-up, JVM start, argus's shutdown) on a near-empty input.
TINY=$TMP/tiny.pcap
editcap -r "$CAPTURE" "$TINY" 1-1000 2>/dev/null

log "warming the page cache: $CAPTURE"
cat "$CAPTURE" > /dev/null

# --- measuring -----------------------------------------------------------------
# run_once OUTFILE CMD... : one timed run; appends "wall rss_kib user sys" to OUTFILE.
run_once() {
    local out=$1; shift
    local rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/time.one" \
        timeout -k 10 "$TOOL_TIMEOUT" "$@" > /dev/null 2> "$TMP/stderr.one" || rc=$?
    LAST_FAIL=
    if (( rc != 0 )); then
        if (( rc == 124 || rc == 137 )); then LAST_FAIL="timed out (>${TOOL_TIMEOUT}s)"; else LAST_FAIL="failed (exit $rc)"; fi
        log "  $LAST_FAIL: $*"
        grep -v '^Running as user' "$TMP/stderr.one" | tail -5 | sed 's/^/    /' >&2
        return 1
    fi
    if grep -q '^teardown: building' "$TMP/stderr.one"; then
        LAST_FAIL="launcher rebuilt the jar during the run"
        log "  the launcher rebuilt the jar during this run (sources changed?): run discarded"
        return 2
    fi
    tail -1 "$TMP/time.one" >> "$out"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) exit 1; if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

# Results, one line per tool: name|status|runs|wall|rss_mib|cpu|tiny_wall|command
ROWS=$TMP/rows
: > "$ROWS"

# measure NAME MAX_RUNS SLOW_SECS CMD... (the string FILE in CMD is replaced by the input)
measure() {
    local name=$1 max_runs=$2 slow=$3; shift 3
    local argv=("$@") big=() tiny=() a
    for a in "${argv[@]}"; do
        if [[ $a == FILE ]]; then big+=("$CAPTURE"); tiny+=("$TINY"); else big+=("$a"); tiny+=("$a"); fi
    done
    local samples=$TMP/samples.$name tiny_wall=- i
    : > "$samples"
    log "$name: fixed cost on a 1000-packet slice"
    local rc=0 retried=0
    run_once "$TMP/tiny.$name" "${tiny[@]}" || rc=$?
    if (( rc == 2 )); then rc=0; run_once "$TMP/tiny.$name" "${tiny[@]}" || rc=$?; fi
    if (( rc != 0 )); then
        echo "$name|$LAST_FAIL on the 1000-packet slice|0|-|-|-|-|${big[*]}" >> "$ROWS"; return
    fi
    tiny_wall=$(awk '{print $1}' "$TMP/tiny.$name")
    for (( i = 1; i <= max_runs; i++ )); do
        log "$name: run $i/$max_runs"
        rc=0; run_once "$samples" "${big[@]}" || rc=$?
        if (( rc == 2 && retried == 0 )); then
            retried=1; rc=0; run_once "$samples" "${big[@]}" || rc=$?
        fi
        if (( rc != 0 )); then
            echo "$name|${LAST_FAIL:-failed} in run $i|$((i-1))|-|-|-|$tiny_wall|${big[*]}" >> "$ROWS"; return
        fi
        local last; last=$(tail -1 "$samples" | awk '{print $1}')
        log "  ${last}s, $(tail -1 "$samples" | awk '{printf "%.0f", $2/1024}') MiB"
        if (( i == 1 )) && awk -v t="$last" -v s="$slow" 'BEGIN {exit !(t > s)}'; then
            log "  slower than ${slow}s: stopping after 1 run"; break
        fi
    done
    local n wall rss cpu
    n=$(wc -l < "$samples")
    wall=$(awk '{print $1}' "$samples" | median)
    rss=$(awk '{printf "%.1f\n", $2/1024}' "$samples" | median)
    cpu=$(awk '{printf "%.2f\n", $3+$4}' "$samples" | median)
    echo "$name|ok|$n|$wall|$rss|$cpu|$tiny_wall|${big[*]}" >> "$ROWS"
}

measure tshark "$TSHARK_RUNS" "$TSHARK_SLOW_SECS" tshark -r FILE -q -z conv,tcp
measure argus  "$RUNS" 999999 argus -X -r FILE -w /dev/null

if [[ -x $ROOT/teardown ]]; then
    TEARDOWN=("$ROOT/teardown")
elif [[ -f $ROOT/target/teardown-cli.jar ]]; then
    TEARDOWN=(java -jar "$ROOT/target/teardown-cli.jar")
else
    TEARDOWN=()
fi
if (( ${#TEARDOWN[@]} )); then
    # The first (untimed-for-the-table) run on the slice also lets the launcher
    # build the jar if it needs to, so no build lands in a timed run.
    measure teardown "$RUNS" 999999 "${TEARDOWN[@]}" analyze FILE --csv /dev/null
    # The issue's target is per core: the same run pinned to one CPU (JIT and GC share it).
    if command -v taskset >/dev/null; then
        measure teardown-1core "$RUNS" 999999 taskset -c 0 "${TEARDOWN[@]}" analyze FILE --csv /dev/null
    fi
else
    log "teardown: not built (no ./teardown launcher, no target/teardown-cli.jar)"
    echo "teardown|not built|0|-|-|-|-|./teardown analyze FILE --csv /dev/null" >> "$ROWS"
fi

# --- report --------------------------------------------------------------------
pps_of() { awk -F'|' -v t="$1" -v p="$PACKETS" '$1==t && $2=="ok" && $4>0 {printf "%.0f", p/$4}' "$ROWS"; }
# packets per CPU-second (user+sys)
cpu_pps_of() { awk -F'|' -v t="$1" -v p="$PACKETS" '$1==t && $2=="ok" && $6>0 {printf "%.0f", p/$6}' "$ROWS"; }
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a/b}' || echo "n/a"; }

cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
[[ -n $cpu_model ]] || cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
java_version=$(java -version 2>&1 | head -1 || echo "java: not found")
meta=$CAPTURE.meta

{
    echo "teardown benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "host      : $(nproc) CPUs ($cpu_model), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
    echo "java      : $java_version"
    echo "tshark    : $(tshark --version 2>/dev/null | head -1)"
    echo "argus     : $(argus -h 2>&1 | sed -n 's/^Argus Version //p' | head -1)"
    echo "teardown  : $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -z $(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null) ]] || echo ' + uncommitted changes in src/ or pom.xml')"
    echo "capture   : ${CAPTURE#$ROOT/}"
    echo "            $PACKETS packets, $(awk -v b="$BYTES" 'BEGIN {printf "%.1f MiB", b/1048576}')$( [[ -f $meta ]] && awk -F= '
        /^syn_packets=/ {s=$2} /^phases=/ {p=$2} /^capture_duration_seconds=/ {d=$2}
        END {if (s!="") printf ", %s SYNs", s; if (d!="") printf ", %.1fs of traffic", d; if (p!="") printf ", phases: %s", p}' "$meta")"
    echo "method    : page cache warm; stdout to /dev/null; median of N runs of /usr/bin/time"
    echo "            (wall s, peak RSS); CPU s = user+sys; '1k-pkt s' = wall time on the"
    echo "            first 1000 packets (start-up and shutdown cost)"
    echo
    printf '%-9s %4s %9s %12s %8s %12s %10s %9s\n' tool runs "median s" "packets/s" "CPU s" "pkts/CPU-s" "RSS MiB" "1k-pkt s"
    printf '%-9s %4s %9s %12s %8s %12s %10s %9s\n' --------- ---- --------- ------------ -------- ------------ ---------- ---------
    while IFS='|' read -r name status n wall rss cpu tiny cmd; do
        if [[ $status == ok ]]; then
            printf '%-9s %4s %9s %12s %8s %12s %10s %9s\n' "$name" "$n" "$wall" "$(pps_of "$name")" "$cpu" "$(cpu_pps_of "$name")" "$rss" "$tiny"
        else
            printf '%-9s %s\n' "$name:" "$status (see stderr of run.sh)"
        fi
    done < "$ROWS"
    echo
    td=$(pps_of teardown); ts=$(pps_of tshark); ar=$(pps_of argus)
    echo "teardown packets/s vs tshark : $(ratio "$td" "$ts")"
    echo "teardown packets/s vs argus  : $(ratio "$td" "$ar")"
    ctd=$(cpu_pps_of teardown); cts=$(cpu_pps_of tshark); car=$(cpu_pps_of argus)
    echo "teardown pkts/CPU-s vs tshark: $(ratio "$ctd" "$cts"), vs argus: $(ratio "$ctd" "$car")"
    t1=$(pps_of teardown-1core)
    [[ -n $t1 ]] && echo "teardown on 1 core (taskset -c 0): $t1 packets/s; vs tshark $(ratio "$t1" "$ts"), vs argus $(ratio "$t1" "$ar")"
    echo
    echo "note: argus exits on its 1 s timer after EOF, so its wall time is rounded up"
    echo "      to whole seconds (see its 1k-pkt s); its CPU s is the fairer measure."
    echo "      The JVM uses more than one core (JIT, GC), so CPU s can exceed wall s."
    echo
    echo "commands:"
    while IFS='|' read -r name status n wall rss cpu tiny cmd; do
        cmd=${cmd//$ROOT\/teardown /.\/teardown }
        echo "  $name: ${cmd//$ROOT\//}"
    done < "$ROWS"
} > "$TMP/results.txt"

cp "$TMP/results.txt" "$RESULTS"
cat "$TMP/results.txt"
log "written to ${RESULTS#$ROOT/}"
