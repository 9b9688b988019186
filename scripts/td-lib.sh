# Sourced by the real-traffic scripts (kernel-truth.sh, kernel-timeline.sh, whatif-check.sh, nat-clocks.sh):
# the checks before they start servers in network namespaces of their own, and the stopping after.
#
# td_init NAME          names the script in messages; sets PY to python3 (the system one first)
# td_need TOOL...       exits 2, naming them, if a tool (or python3) is missing
# td_need_root          exits 2 unless root (ip netns add needs it)
# die MESSAGE           one line on stderr, exit 1
# stop_pid SIGNAL PID   stops one PID we started: the signal, up to 3 s, then SIGKILL; reaps it
# td_netns_del NS       stops whatever still runs in namespace NS (a safety net) and deletes it, if it exists

td_init() {
    TD_NAME=$1
    if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3 || true); fi
}

die() { echo "$TD_NAME: $*" >&2; exit 1; }

td_need() {
    local t missing=()
    for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
    [ -n "$PY" ] || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "$TD_NAME: missing tool(s): ${missing[*]} (.ci/run's apt-get line installs them)" >&2
        exit 2
    fi
}

td_need_root() {
    [ "$(id -u)" = 0 ] || { echo "$TD_NAME: must run as root (ip netns add)" >&2; exit 2; }
}

stop_pid() {
    local sig=$1 pid=$2 i
    kill -"$sig" "$pid" 2>/dev/null || return 0
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

td_netns_del() {
    local ns=$1 p
    [ -n "$ns" ] || return 0
    ip netns list 2>/dev/null | grep -qw "$ns" || return 0
    for p in $(ip netns pids "$ns" 2>/dev/null); do stop_pid TERM "$p"; done
    ip netns del "$ns" 2>/dev/null || true
}
