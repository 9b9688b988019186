#!/usr/bin/env bash
# bench/run.sh [CAPTURE...]
#
# Times teardown against argus, nDPI and tshark on the same captures, in one run:
#   ./teardown analyze FILE --csv /dev/null -q        (teardown; HTTP is always on)
#   taskset -c 0 ./teardown analyze FILE --csv /dev/null -q   (teardown-1core)
#   ./teardown analyze FILE --csv /dev/null           (teardown+summary: also the terminal
#                                                      summary, so the TIME_WAIT stage too)
#   argus -X -r FILE -w /dev/null
#   argus -X -r FILE -w - | ra -r - -n                (argus+ra: the records as text)
#   ndpiReader -q -i FILE                             (ndpi)
#   tshark -r FILE -q -z conv,tcp
#     (java -jar target/teardown-cli.jar instead of ./teardown when the launcher is
#      absent; "not built" rows when neither exists)
# Each tool's stdout goes to /dev/null. Wall seconds, CPU seconds (user+sys) and
# peak RSS come from /usr/bin/time. Per capture, the tools take turns: round 1
# runs each tool once, round 2 again, up to RUNS rounds, and the median of each
# tool's runs is reported. Prints a table per capture to stdout and writes all of
# them to bench/results.txt (progress, and each capture's table as it is done, go to stderr).
#
# With no CAPTURE, the two traffic shapes of make-capture.sh, each built on first use:
#   bench/work/capture.pcap  (SHAPE=default: keep-alive heavy, snaplen 128, 3M packets; ~1 min)
#   bench/work/churn.pcap    (SHAPE=churn: ~300k short connections, whole packets with
#                             HTTP bodies, IPv4 and IPv6, 3.5M packets; ~2-4 min)
#
# Environment knobs (all optional):
#   RUNS=3               timed runs per tool
#   TSHARK_RUNS=3        timed runs for tshark ...
#   TSHARK_SLOW_SECS=120 ... reduced to 1 if its first run takes longer
#   TOOL_TIMEOUT=900     per-run time limit in seconds (a run that hits it fails)
#   SHAPES="default churn"  the shapes run when no CAPTURE is given
#   TARGET_PACKETS=3000000  size of the default-shape capture built when missing
#   CHURN_PACKETS=3500000   size of the churn capture built when missing
#   RESULTS=bench/results.txt
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-3}
TSHARK_RUNS=${TSHARK_RUNS:-3}
TSHARK_SLOW_SECS=${TSHARK_SLOW_SECS:-120}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-900}
SHAPES=${SHAPES:-"default churn"}
TARGET_PACKETS=${TARGET_PACKETS:-3000000}
CHURN_PACKETS=${CHURN_PACKETS:-3500000}
RESULTS=${RESULTS:-$BENCH/results.txt}

log() { echo "run: $*" >&2; }

# --- the captures --------------------------------------------------------------
CAPTURES=()
NAMES=()
if [[ $# -ge 1 ]]; then
    for c in "$@"; do
        [[ -s $c ]] || { echo "run: no such capture: $c" >&2; exit 1; }
        CAPTURES+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")")
        shape=; [[ -f $c.meta ]] && shape=$(sed -n 's/^shape=//p' "$c.meta" | head -1)
        NAMES+=("$shape")
    done
else
    for s in $SHAPES; do
        case $s in
            default) f=$BENCH/work/capture.pcap n=$TARGET_PACKETS ;;
            churn)   f=$BENCH/work/churn.pcap n=$CHURN_PACKETS ;;
            *) echo "run: unknown shape in SHAPES: $s" >&2; exit 2 ;;
        esac
        if [[ ! -s $f ]]; then
            log "building $f (shape $s, $n packets) with make-capture.sh"
            SHAPE=$s "$BENCH/make-capture.sh" "$f" "$n"
        fi
        CAPTURES+=("$f")
        NAMES+=("$s")
    done
fi

if [[ ! -x /usr/bin/time ]]; then
    log "installing the 'time' package for /usr/bin/time"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >&2
fi
for c in tshark argus ra ndpiReader capinfos editcap timeout; do
    command -v "$c" >/dev/null || { echo "run: missing command: $c" >&2; exit 1; }
done

if [[ -x $ROOT/teardown ]]; then
    TEARDOWN=("$ROOT/teardown")
elif [[ -f $ROOT/target/teardown-cli.jar ]]; then
    TEARDOWN=(java -jar "$ROOT/target/teardown-cli.jar")
else
    TEARDOWN=()
    log "teardown: not built (no ./teardown launcher, no target/teardown-cli.jar)"
fi

TMP=$(mktemp -d /tmp/teardown-run.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

TOOLS=(teardown argus argus+ra ndpi tshark teardown-1core teardown+summary)
command -v taskset >/dev/null || TOOLS=(teardown argus argus+ra ndpi tshark teardown+summary)

# tool_cmd NAME FILE: the command line, in CMDV
tool_cmd() {
    local f=$2
    case $1 in
        teardown)         CMDV=("${TEARDOWN[@]}" analyze "$f" --csv /dev/null -q) ;;
        teardown-1core)   CMDV=(taskset -c 0 "${TEARDOWN[@]}" analyze "$f" --csv /dev/null -q) ;;
        teardown+summary) CMDV=("${TEARDOWN[@]}" analyze "$f" --csv /dev/null) ;;
        argus)            CMDV=(argus -X -r "$f" -w /dev/null) ;;
        # argus's records as text, as teardown writes its CSV: the command issue 12 measured argus by.
        argus+ra)         CMDV=(bash -o pipefail -c 'argus -X -r "$1" -w - | ra -r - -n' argus+ra "$f") ;;
        ndpi)             CMDV=(ndpiReader -q -i "$f") ;;
        tshark)           CMDV=(tshark -r "$f" -q -z conv,tcp) ;;
    esac
}

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
loadavg() { awk '{print $1 ", " $2 ", " $3}' /proc/loadavg; }
# thousands separators, for the prose lines
commas() { awk -v n="$1" 'BEGIN {s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s}'; }

# measure_capture INDEX: times every tool on one capture; writes $TMP/shape.INDEX (the section text)
measure_capture() {
    local idx=$1 capture=${CAPTURES[$1]} name=${NAMES[$1]}
    local rows=$TMP/rows.$idx tiny=$TMP/tiny.$idx.pcap
    : > "$rows"
    local packets bytes
    if packets=$(capinfos -c -M "$capture" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') \
            && [[ $packets =~ ^[0-9]+$ ]]; then
        :
    else
        packets=$(tcpdump -r "$capture" -qn 2>/dev/null | wc -l)
    fi
    bytes=$(stat -c %s "$capture")
    (( packets > 0 )) || { echo "run: $capture has no packets" >&2; exit 1; }
    [[ -n $name ]] || name=$(basename "$capture")
    log "== $name: ${capture#$ROOT/} ($packets packets)"

    # A 1000-packet slice: smoke test for each tool and its fixed cost
    # (process start-up, JVM start, argus's shutdown) on a near-empty input.
    editcap -r "$capture" "$tiny" 1-1000 2>/dev/null

    log "warming the page cache: $capture"
    cat "$capture" > /dev/null
    local load_before; load_before=$(loadavg)

    # What the capture holds, as teardown counts it (untimed; also warms the JVM's files).
    local facts=""
    if (( ${#TEARDOWN[@]} )); then
        log "teardown: counting connections and tuple reuse (untimed, --summary-json)"
        if "${TEARDOWN[@]}" analyze "$capture" --csv /dev/null --summary-json "$TMP/summary.json" -q 2> "$TMP/summary.err"; then
            local conns reuse
            conns=$(grep -o '"connections":{"total":[0-9]*' "$TMP/summary.json" | head -1 | grep -o '[0-9]*$')
            reuse=$(grep -o '"tuple_reuse":[0-9]*' "$TMP/summary.json" | head -1 | grep -o '[0-9]*$')
            if [[ -n $conns && -n $reuse ]]; then
                facts="$(commas "$conns") connections ($(awk -v p="$packets" -v c="$conns" 'BEGIN {printf "%.1f", p/c}') packets each), $(commas "$reuse") SYNs on a tuple in TIME_WAIT (teardown's counts)"
            fi
        else
            log "  teardown's counting run failed:"; tail -5 "$TMP/summary.err" | sed 's/^/    /' >&2
        fi
    fi

    # nDPI prints nothing with -q, so an untimed run without it says how many packets it read
    # and how many it tracked (ndpiReader skips an IPv4 packet captured shorter than its total length).
    local ndpi_note="" ndpi_bad=""
    log "ndpi: checking that it reads every packet (untimed, without -q)"
    if ndpiReader -i "$capture" > "$TMP/ndpi.out" 2> "$TMP/ndpi.err"; then
        local nread nip nskip nflows
        read -r nip nread nskip nflows < <(awk '
            /IP packets:/ {ip=$3; total=$5} /Discarded bytes:/ {d=$3} /Unique flows:/ {f=$3}
            END {print ip, total, d, f}' "$TMP/ndpi.out")
        if [[ $nread != "$packets" ]]; then
            ndpi_bad="read ${nread:-?} of $packets packets"
        else
            ndpi_note="nDPI read all $(commas "$nread") packets, tracked $(commas "$nip") in $(commas "$nflows") flows"
            (( ${nskip:-0} > 0 )) && ndpi_note="$ndpi_note, skipped $(commas "$nskip") (captured shorter than their IP length)"
        fi
    else
        ndpi_bad="failed (exit $?) without -q"
    fi

    # Fixed cost and smoke test, one tool after another. A failed tool gets a row saying so and
    # is left out of the rounds.
    local t active=() a big=()
    for t in "${TOOLS[@]}"; do
        : > "$TMP/samples.$idx.$t"
        if [[ $t == teardown* ]] && (( ${#TEARDOWN[@]} == 0 )); then
            echo "$t|not built|0|-|-|-|-" >> "$rows"; continue
        fi
        if [[ $t == ndpi && -n $ndpi_bad ]]; then
            echo "$t|$ndpi_bad|0|-|-|-|-" >> "$rows"; continue
        fi
        log "$t: fixed cost on a 1000-packet slice"
        tool_cmd "$t" "$tiny"
        local rc=0
        # The first teardown run also lets the launcher build the jar, so no build lands in a timed run.
        run_once "$TMP/tiny.$idx.$t" "${CMDV[@]}" || rc=$?
        if (( rc == 2 )); then rc=0; run_once "$TMP/tiny.$idx.$t" "${CMDV[@]}" || rc=$?; fi
        if (( rc != 0 )); then
            echo "$t|$LAST_FAIL on the 1000-packet slice|0|-|-|-|-" >> "$rows"; continue
        fi
        active+=("$t")
    done

    # The rounds: each tool once per round, in turn, so that a busy spell on the machine
    # falls on all of them.
    declare -A max_runs=() failed=() retried=()
    for t in "${active[@]}"; do max_runs[$t]=$RUNS; done
    [[ -n ${max_runs[tshark]:-} ]] && max_runs[tshark]=$TSHARK_RUNS
    local round i
    for (( round = 1; round <= RUNS || round <= TSHARK_RUNS; round++ )); do
        for t in "${active[@]}"; do
            [[ -z ${failed[$t]:-} ]] || continue
            local most=${max_runs[$t]}
            (( round <= most )) || continue
            log "$t: run $round/$most"
            tool_cmd "$t" "$capture"
            local rc=0
            run_once "$TMP/samples.$idx.$t" "${CMDV[@]}" || rc=$?
            if (( rc == 2 )) && [[ -z ${retried[$t]:-} ]]; then
                retried[$t]=1; rc=0; run_once "$TMP/samples.$idx.$t" "${CMDV[@]}" || rc=$?
            fi
            if (( rc != 0 )); then
                failed[$t]="${LAST_FAIL:-failed} in run $round"; continue
            fi
            local last; last=$(tail -1 "$TMP/samples.$idx.$t" | awk '{print $1}')
            log "  ${last}s wall, $(tail -1 "$TMP/samples.$idx.$t" | awk '{printf "%.2f", $3+$4}') CPU s, $(tail -1 "$TMP/samples.$idx.$t" | awk '{printf "%.0f", $2/1024}') MiB"
            if [[ $t == tshark ]] && (( round == 1 )) && awk -v t="$last" -v s="$TSHARK_SLOW_SECS" 'BEGIN {exit !(t > s)}'; then
                log "  slower than ${TSHARK_SLOW_SECS}s: tshark stops after 1 run"; max_runs[tshark]=1
            fi
        done
    done
    local load_after; load_after=$(loadavg)

    local n wall rss cpu sys tiny_wall samples
    for t in "${active[@]}"; do
        samples=$TMP/samples.$idx.$t
        tiny_wall=$(awk '{print $1}' "$TMP/tiny.$idx.$t")
        if [[ -n ${failed[$t]:-} ]]; then
            echo "$t|${failed[$t]}|0|-|-|-|$tiny_wall" >> "$rows"; continue
        fi
        n=$(wc -l < "$samples")
        wall=$(awk '{print $1}' "$samples" | median | awk '{printf "%.2f", $1}')
        rss=$(awk '{print $2/1024}' "$samples" | median | awk '{printf "%.0f", $1}')
        cpu=$(awk '{print $3+$4}' "$samples" | median | awk '{printf "%.2f", $1}')
        sys=$(awk '{print $4}' "$samples" | median | awk '{printf "%.2f", $1}')
        echo "$t|ok|$n|$wall|$rss|$cpu|$tiny_wall|$sys" >> "$rows"
    done

    # --- this capture's section
    local meta=$capture.meta
    pps_of() { awk -F'|' -v t="$1" -v p="$packets" '$1==t && $2=="ok" && $4>0 {printf "%.0f", p/$4}' "$rows"; }
    cpu_pps_of() { awk -F'|' -v t="$1" -v p="$packets" '$1==t && $2=="ok" && $6>0 {printf "%.0f", p/$6}' "$rows"; }
    ratio() { if [[ -n $1 && -n $2 ]]; then awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a/b}'; else echo "n/a"; fi; }
    {
        echo "== $name: ${capture#$ROOT/}"
        echo "capture   : $(commas "$packets") packets, $(awk -v b="$bytes" 'BEGIN {printf "%.1f MiB", b/1048576}')$( [[ -f $meta ]] && awk -F= '
            /^snaplen=/ {s=$2} /^capture_duration_seconds=/ {d=$2} /^ipv4_packets=/ {v4=$2} /^ipv6_packets=/ {v6=$2}
            END {
                if (s != "") printf ", snaplen %s", (s == "0" ? "0 (whole packets)" : s)
                if (d != "") printf ", %.1f s of traffic", d
                if (v4 ~ /^[0-9]+$/ && v6 ~ /^[0-9]+$/ && v4 + v6 > 0) printf ", IPv4 %.0f%% / IPv6 %.0f%% of packets", 100*v4/(v4+v6), 100*v6/(v4+v6)
            }' "$meta")"
        [[ -n $facts ]] && echo "            $facts"
        [[ -f $meta ]] && grep -q '^phases=' "$meta" && echo "            made by make-capture.sh$(awk -F= '/^shape=/ {printf " (SHAPE=%s)", $2}' "$meta"), phases: $(sed -n 's/^phases=//p' "$meta")"
        [[ -n $ndpi_note ]] && echo "            $ndpi_note"
        echo "load avg  : $load_before before, $load_after after (1, 5, 15 min)"
        echo
        printf '%-16s %4s %8s %11s %8s %7s %11s %8s %8s\n' tool runs "wall s" "packets/s" "CPU s" "sys s" "pkts/CPU-s" "RSS MiB" "1k-pkt s"
        printf '%-16s %4s %8s %11s %8s %7s %11s %8s %8s\n' ---------------- ---- -------- ----------- -------- ------- ----------- -------- --------
        local name_ status n_ wall_ rss_ cpu_ tiny_ sys_
        while IFS='|' read -r name_ status n_ wall_ rss_ cpu_ tiny_ sys_; do
            if [[ $status == ok ]]; then
                printf '%-16s %4s %8s %11s %8s %7s %11s %8s %8s\n' "$name_" "$n_" "$wall_" "$(pps_of "$name_")" "$cpu_" "$sys_" "$(cpu_pps_of "$name_")" "$rss_" "$tiny_"
            else
                printf '%-16s %s\n' "$name_" "$status (see stderr of run.sh)"
            fi
        done < "$rows"
        echo
        local td ctd other label
        td=$(pps_of teardown); ctd=$(cpu_pps_of teardown)
        echo "teardown (-q) against the others, packets/s (wall) and packets per CPU-second:"
        for other in argus argus+ra ndpi tshark; do
            label=$other; [[ $other == ndpi ]] && label=nDPI
            printf '  vs %-10s %8s by wall, %8s by CPU-s\n' "$label:" "$(ratio "$td" "$(pps_of "$other")")" "$(ratio "$ctd" "$(cpu_pps_of "$other")")"
        done
        local t1 c1; t1=$(pps_of teardown-1core); c1=$(cpu_pps_of teardown-1core)
        if [[ -n $t1 ]]; then
            echo "  teardown on 1 core (taskset -c 0), by wall: vs argus $(ratio "$t1" "$(pps_of argus)"), vs argus+ra $(ratio "$t1" "$(pps_of argus+ra)"), vs nDPI $(ratio "$t1" "$(pps_of ndpi)"), vs tshark $(ratio "$t1" "$(pps_of tshark)")"
            echo "  teardown on 1 core (taskset -c 0), by CPU-s: vs argus $(ratio "$c1" "$(cpu_pps_of argus)"), vs argus+ra $(ratio "$c1" "$(cpu_pps_of argus+ra)"), vs nDPI $(ratio "$c1" "$(cpu_pps_of ndpi)"), vs tshark $(ratio "$c1" "$(cpu_pps_of tshark)")"
        fi
        echo
    } > "$TMP/shape.$idx"
    sed 's/^/run: /' "$TMP/shape.$idx" >&2
}

# The host's cost of a system call: argus makes one per packet (an lseek, see bench/README.md), teardown one
# per 256 KiB read, so this figure moves argus's CPU s from host to host far more than teardown's.
log "timing 2,000,000 system calls (dd bs=1 count=1000000: a read and a write each)"
/usr/bin/time -f '%U %S' -o "$TMP/dd.time" dd if=/dev/zero of=/dev/null bs=1 count=1000000 2>/dev/null
SYSCALL_US=$(tail -1 "$TMP/dd.time" | awk '{printf "%.2f", ($1 + $2) * 1e6 / 2e6}')
MELTDOWN=$(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null || echo "not reported")

LOAD_START=$(loadavg)
for i in "${!CAPTURES[@]}"; do
    measure_capture "$i"
done
LOAD_END=$(loadavg)

# --- report --------------------------------------------------------------------
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
[[ -n $cpu_model ]] || cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
java_version=$(java -version 2>&1 | head -1 || echo "java: not found")
ndpi_version=$(ndpiReader -h 2>&1 | sed -n 's/.*nDPI \([0-9][0-9.]*\).*/\1/p' | head -1)
ndpi_pkg=$(dpkg-query -W -f '${Package} ${Version}' libndpi-bin 2>/dev/null || true)

{
    echo "teardown benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "host      : $(nproc) CPUs ($cpu_model), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
    echo "syscalls  : ${SYSCALL_US} us of CPU each, user+sys (dd bs=1 count=1000000: 2 M read and write calls); kernel page-table isolation: $MELTDOWN"
    echo "load avg  : $LOAD_START at the start, $LOAD_END at the end (1, 5, 15 min; other work on the host counts)"
    echo "java      : $java_version"
    echo "tshark    : $(tshark --version 2>/dev/null | head -1)"
    echo "argus     : $(argus -h 2>&1 | sed -n 's/^Argus Version //p' | head -1)"
    echo "nDPI      : ndpiReader ${ndpi_version:-?}${ndpi_pkg:+ ($ndpi_pkg)}"
    echo "teardown  : $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -z $(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null) ]] || echo ' + uncommitted changes in src/ or pom.xml')"
    echo "method    : page cache warm; stdout to /dev/null; per capture the tools take turns, one"
    echo "            run each per round, $RUNS rounds (tshark: $TSHARK_RUNS, or 1 if slower than ${TSHARK_SLOW_SECS}s); median of"
    echo "            each tool's runs of /usr/bin/time: wall s, CPU s = user+sys, peak RSS;"
    echo "            '1k-pkt s' = wall time on the first 1000 packets (start-up and shutdown cost)"
    echo
    for i in "${!CAPTURES[@]}"; do cat "$TMP/shape.$i"; done
    echo "notes: argus exits on its 1 s timer after EOF, so its wall time is rounded up to"
    echo "       whole seconds (see its 1k-pkt s); its CPU s is the fairer measure."
    echo "       The JVM uses more than one core (JIT, GC), so its CPU s can exceed its wall s."
    echo "       ndpiReader skips an IPv4 packet captured shorter than its IP total length, so on"
    echo "       a short snaplen it tracks only the packets that fit (see the nDPI line above)."
    echo "       teardown+summary adds the terminal summary and the TIME_WAIT stage behind it."
    echo "       argus+ra pipes argus's records through ra -n, which prints them as text, as teardown"
    echo "       writes its CSV; the argus row writes binary records to /dev/null."
    echo "       argus makes a system call per packet (an lseek: strace -c counted 3,000,002 on the"
    echo "       3 M-packet capture), teardown one per 256 KiB read; where system calls are dear (see"
    echo "       'syscalls' above: page-table isolation, a virtual machine), argus's CPU s, user time"
    echo "       included, grows far more than teardown's, and so do the ratios against it."
    echo
    echo "commands (FILE = the capture):"
    for t in "${TOOLS[@]}"; do
        if [[ $t == teardown* ]] && (( ${#TEARDOWN[@]} == 0 )); then continue; fi
        tool_cmd "$t" FILE
        cmd="${CMDV[*]}"
        [[ $t == argus+ra ]] && cmd="argus -X -r FILE -w - | ra -r - -n"
        cmd=${cmd//$ROOT\/teardown /.\/teardown }
        echo "  $t: ${cmd//$ROOT\//}"
    done
} > "$TMP/results.txt"

cp "$TMP/results.txt" "$RESULTS"
cat "$TMP/results.txt"
log "written to ${RESULTS#$ROOT/}"
