#!/usr/bin/env bash
# Deletes each listed behaviour from a scratch copy of the sources, one at a time, runs the fast test suite,
# and reports whether the suite went red. A behaviour whose deletion leaves the suite green has no test that
# can fail: the script exits 1 then. A pattern that no longer matches the source is reported as STALE (the
# code moved: update this list), also exit 1.
#
#   scripts/deletion-check.sh            # the suite once as it is, then every entry (a few minutes each on 2 cores)
#   scripts/deletion-check.sh SHR q      # only the named entries
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/teardown-deletion.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
T=src/main/java/dev/teardown/teardown
M=src/main/java/dev/teardown

# name | file | perl regex to find | replacement (the behaviour deleted); no '|' inside the fields
entries=(
  "history-t|$T/History.java|if \(retransmission\) logScale\(side, T\);|"
  "history-w|$T/History.java|if \(seg\.window == 0 && !rst && !s\.rstSeen && !\(r\.finSeen && !r\.rstSeen\)\) logScale\(side, W\);|"
  "history-q|$T/History.java|once\(side, fin && rst \? I : Q\);|once(side, I);"
  "SHR|$T/ConnState.java|oInactive \? \"SHR\" : \"S3\"|\"S3\""
  "RSTRH|$T/ConnState.java|oInactive \? \"RSTRH\" : \"RSTR\"|\"RSTR\""
  "RSTOS0|$T/ConnState.java|\? \"RSTOS0\" : \"OTH\"|? \"OTH\" : \"OTH\""
  "SYN_WITH_DATA|$T/Connection.java|if \(seg\.payloadLength > 0\) flag\(Anomaly\.SYN_WITH_DATA\);|"
  "SYN_FIN|$T/Connection.java|if \(seg\.has\(TcpSegment\.FIN\)\) flag\(Anomaly\.SYN_FIN\);|"
  "DATA_AFTER_FIN|$T/Connection.java|flag\(Anomaly\.DATA_AFTER_FIN\);|{ }"
  "DATA_AFTER_RESET|$T/Connection.java|flag\(Anomaly\.DATA_AFTER_RESET\);|"
  "FIN_CHANGED_SEQ|$T/Connection.java|flag\(Anomaly\.FIN_CHANGED_SEQ\);|"
  "PREMATURE_PORT_REUSE|$T/ConnectionTracker.java|c\.flag\(Anomaly\.PREMATURE_PORT_REUSE\);|"
  "payload-direction-hint|$T/ConnectionTracker.java|int http = PayloadHint\.httpDirection\(seg\);|int http = 0;"
  "html-escape-lt|$M/answer/Html.java|case '<' -> \"&lt;\";|case '<' -> \"<\";"
  "html-csp|$M/answer/HtmlReport.java|append\(CSP\)|append(\"default-src *\")"
  "html-output-clash|$M/cli/OutputOptions.java|if \(html != null\) named\.add|if (false) named.add"
  "html-live-temporary|$M/cli/Outputs.java|o\.html = o\.open\(cmd, html, false\);|o.html = o.open(cmd, html, live);"
  "html-bucket-level|$M/answer/HtmlSections.java|if \(level >= Findings\.BUCKETS_SHARE_WARN \* l\.maxTwBuckets\(\)\)|if (true)"
  "close-reasons|$M/report/Summary.java|closeReasons\.add\(r\.http\(\)\.closeReason\(\)\);|"
  "idle-by-closer|$M/report/HttpEndpointStats.java|r\.closeInitiator\(\) == Sides\.SERVER \? idleServerClosed : idleClientClosed|idleServerClosed"
  "series-rows|$M/timewait/TimeWaitStage.java|timelineRows == null \? series : series\.andThen\(timelineRows\)|timelineRows == null ? r -> { } : timelineRows"
  "tls-handoff|$M/http/HttpTracker.java|if \(conv\.tlsLike\(\)\) \{|if (false) {"
  "tls-not-tls|$M/tls/TlsSession.java|if \(!confirmed && \(problem|if (false && (problem"
  "tls13-handshake-as-data|$M/tls/TlsSession.java|if \(version\(\) == ProtocolVersions\.TLS13 && !clientFinished\)|if (false)"
  "tls-small-records|$M/tls/TlsSession.java|if \(length <= SMALL_RECORD\) \{|if (false) {"
  "tls13-alert-by-size|$M/tls/TlsSession.java|long small = smallLast\[side\.ordinal\(\)\];|long small = PacketTime.UNSET;"
  "tls-client-close-notify|$M/http/CloseReason.java|tls\.alertFrom\(\) == Sides\.CLIENT \? CLIENT_CLOSE_NOTIFY|false ? CLIENT_CLOSE_NOTIFY"
  "tls-record-max-length|$M/tls/RecordReader.java|if \(length > MAX_RECORD\) return false;|"
  "tls-gap-in-body|$M/stream/LengthFramedReader.java|if \(state == State\.BODY && len <= remaining\) \{|if (false) {"
  "tls-resync-version|$M/tls/RecordReader.java|version == recordVersion\)|true)"
  "tls-hello-cap|$M/tls/RecordReader.java|if \(msgLength > MAX_HELLO\) \{|if (false) {"
  "flow-head-leaves|$M/flow/FlowTable.java|heads\[e\.list\] = e\.next;\n            headsChanged = true;|heads[e.list] = e.next;"
  "flow-move-to-front|$M/flow/FlowTable.java|                prev\.chain = e\.chain;\n                e\.chain = table\[b\];\n                table\[b\] = e;\n|"
  "launcher-cds|teardown|&& cds=|&& false && cds="
  "launcher-thp|teardown|  thp=\(-XX:\+UseTransparentHugePages\)|  thp=()"
  "launcher-thp-guard|teardown|if grep -qs '|if true || grep -qs '"
  "lazy-subcommands|$M/cli/TeardownCommand.java|args\.length > 0 && SUBCOMMANDS\.containsKey\(args\[0\]\) \? Set\.of\(args\[0\]\) : SUBCOMMANDS\.keySet\(\)|SUBCOMMANDS.keySet()"
  "tls-connections-count|$M/report/HttpEndpointStats.java|if \(r\.http\(\)\.tls\(\) != null\) tlsConnections\+\+;|"
  "h2-continuation|$M/h2/FrameReader.java|listener\.onProblem\(side, H2Problem\.BAD_CONTINUATION\);|"
  "h2-padding|$M/h2/FrameReader.java|listener\.onProblem\(side, H2Problem\.BAD_PADDING\);|"
  "h2-refused-reset|$M/h2/H2Session.java|if \(wasOpen && side == Side\.SERVER && errorCode == ErrorCodes\.REFUSED_STREAM\) refused\+\+;|"
  "h2-refused-goaway|$M/h2/H2Session.java|refused \+= openCount - kept;|"
  "h2-refused-crossing|$M/h2/H2Session.java|else refused\+\+; // it crossed the server's GOAWAY|"
  "h2-refused-not-requests|$M/http/HttpOutcome.java| - h2\.refused\(\);|;"
  "http2-settings|$M/http/Conversation.java|if \(upgrade\) h2\.upgraded\(upgradeMaxFrame\);|if (upgrade) h2.upgraded(-1);"
  "parallel-live-abandon|$M/pipeline/ParallelLive.java|if \(!ended\) team\.state\.abandon\(\);|"
  "live-out-of-memory|$M/cli/LiveCommand.java|catch \(OutOfMemoryError e\) \{|catch (IllegalMonitorStateException e) {"
  "stage-gap-replay|$M/pipeline/Replay.java|stage\.idleGap\(state, o\.nanos\[e\], b\.time\[o\.details\[e\]\]\);|"
  "stage-close-told|$M/timewait/TimeWaitStage.java|if \(timeline != null && s\.followed && !s\.closeTold|if (false"
  "stage-time-wait-told|$M/timewait/TimeWaitStage.java|if \(timeline != null && \(!PacketTime\.isSet\(s\.earliestTold\)|if (false && (!PacketTime.isSet(s.earliestTold)"
  "keys-on-state|$M/timewait/Interned.java|if \(e == null\) s\.server = e = server\(c\);|e = server(c);"
  "cell-cache-equal|$M/report/CellCache.java|if \(value != text\[column\] && !value\.equals\(text\[column\]\)\) \{|if (value != text[column]) {"
  "stage-due-hasten|$M/timewait/TimeWaitTimeline.java|return PacketTime\.isSet\(s\.waitingSince\) && \(waitingChanged|return false && (waitingChanged"
  "what-if-last-endpoint|$M/timewait/IdleWhatIf.java|if \(e == lastEndpoint\) lastEndpoint = null;|"
  "cds-summary-json|teardown|--csv /dev/null --json /dev/null --summary-json /dev/null|--csv /dev/null --json /dev/null"
  "printf-half-up|$M/report/Printf.java|RoundingMode\.HALF_UP\)|RoundingMode.HALF_EVEN)"
  "pcap-next-ex-file|$M/capture/Pcap4jFileSource.java|if \(direct != null\) return nextDirect\(frame\);|"
  "pcap-next-ex-closed|$M/capture/PcapNextEx.java|if \(!handle\.isOpen\(\) .. !lock\.tryLock\(\)\) return false;\n        if \(handle\.isOpen\(\)\) return true;|if (!lock.tryLock()) return false;\n        if (true) return true;"
  "parsers-reset-state|$M/http/MessageDecoder.java|        state = State\.START;\n        split\.reset\(\);|        split.reset();"
  "parsers-reset-split|$M/http/MessageDecoder.java|        split\.reset\(\);\n|"
  "parsers-reset-tunnel|$M/http/MessageDecoder.java|        tunnel = null;\n    \}|    }"
  "parsers-reset-listener|$M/http/MessageDecoder.java|        this\.listener = listener;\n        head|        head"
  "parsers-reset-parsed|$M/http/MessageDecoder.java|        parsedStartLine = false;\n|"
  "parsers-reset-head-bytes|$M/http/MessageDecoder.java|        headBytes = 0;\n        emptyLines = 0;\n        remaining|        emptyLines = 0;\n        remaining"
  "parsers-reset-empty-lines|$M/http/MessageDecoder.java|        emptyLines = 0;\n        remaining|        remaining"
  "parsers-reset-started|$M/http/HalfStream.java|        started = false;\n|"
  "parsers-reset-syn|$M/http/HalfStream.java|        synSeen = false;\n|"
  "parsers-reset-peer-ack|$M/http/HalfStream.java|        peerAckKnown = false;\n|"
  "parsers-reset-pending|$M/http/Parsers.java|        pending\.clear\(\);\n|"
  "relay-default|$M/pipeline/ThreadPlan.java|if \(cores == 2\) return relay\(\);|"
  "relay-file-starts|$M/pipeline/RelayWorker.java|while \(f < files && b\.fileStarts\.get\(f\) <= at\) chain\.fileStarted\(b\.fileNames\.get\(f\+\+\)\);|"
  "relay-plan-given|$M/cli/OptionRanges.java|if \(given\(cmd, MachineDefaults\.THREADS\)\) return ThreadPlan\.of\(threads\);|"
  "max-connections-relay|$M/cli/OptionRanges.java|            return ThreadPlan\.relay\(\);|            return ThreadPlan.of(1);"
  "reader-oom-analysed|$M/pipeline/BatchReader.java|end\(state\.ranOutOfMemory\(\)\);|end(false);"
  "team-owner|$M/pipeline/BatchReader.java|batch\.keep\(index, hash == null \? 0 : hash\.worker\(s, workers\)\);|batch.keep(index, 0);"
  "live-oom-analysed|$M/pipeline/LiveRun.java|if \(!heapRanOut\) analysis\.close\(\);|analysis.close();"
  "relay-failed-record|$M/pipeline/RowWriter.java|if \(failedAt >= 0 && failedAt < c\.endFrom\) unwritten--;|"
  "relay-payload-repoint|$M/pipeline/Batch.java|        s\.data = payload;\n        s\.payloadOffset = copied;\n|"
  "relay-unwritten|$M/pipeline/RowWriter.java|if \(i < c\.count\) unwritten \+= c\.count - i;|"
  "head-scan-taken|$M/http/MessageDecoder.java|                p = take\(scan, off, t\);|                offered = null;"
  "head-scan-limits|$M/http/MessageDecoder.java|&& scan\.limits == limits|"
  "head-scan-side|$M/http/MessageDecoder.java|&& scan\.side == side|"
  "head-scan-between-messages|$M/http/MessageDecoder.java|if \(state == State\.START && split\.length == 0 && headBytes == 0|if (split.length == 0 && headBytes == 0"
  "history-short-text-key|$T/History.java|t\.packed == packed && t\.length == length|t.length == length"
)

wanted=("$@")
failed=0
suite() {
  # The fast suite: no root-only, hostile (timing sweeps) or fuzz-replay groups.
  (cd "$scratch" && mvn -B -q -ntp -o test -Dtests.excludedGroups=root,hostile -Dfuzz.skip=true >"$scratch/log" 2>&1)
}
# What the tests read besides the sources (docs/output.md, the dashboard, the unit file, scripts/), once; then the
# suite as it is, which must be green: a test that fails in the scratch copy anyway would "catch" every deletion.
cp -r "$here/docs" "$here/scripts" "$here/README.md" "$scratch/"
cp -r "$here/src" "$here/pom.xml" "$here/samples" "$here/teardown" "$scratch/"
if ! suite; then
  echo "the suite is red in the scratch copy before any deletion (see a rerun): nothing can be checked" >&2
  grep -h -E '^\[ERROR\] +([A-Za-z0-9.]+Test\.|Run [0-9]+: [A-Za-z0-9]+Test)' "$scratch/log" | head -5 >&2 || true
  exit 2
fi
for entry in "${entries[@]}"; do
  IFS='|' read -r name file find replace <<<"$entry"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  rm -rf "$scratch/src"
  cp -r "$here/src" "$here/pom.xml" "$here/samples" "$here/teardown" "$scratch/"
  if ! FIND="$find" REPLACE="$replace" perl -0 -i -pe 'BEGIN{$n=0} $n += s/$ENV{FIND}/$ENV{REPLACE}/g; END{exit($n ? 0 : 3)}' "$scratch/$file"; then
    printf '%-24s STALE (pattern not found in %s)\n' "$name" "$file"
    failed=1
    continue
  fi
  if suite; then
    printf '%-24s SURVIVED: the suite stays green without it\n' "$name"
    failed=1
  else
    # A dynamic or repeated test's line reads "Run N: SomeTest.lambda$method$2:line": named by its method too.
    red=$(grep -h -E '^\[ERROR\]   (Run [0-9]+: )?[A-Za-z0-9]+Test\.' "$scratch/log" \
      | sed -E 's/^\[ERROR\]   (Run [0-9]+: )?([A-Za-z0-9]+Test)\.(lambda\$)?([A-Za-z0-9_]+).*/\2.\4/' | sort -u | head -3 \
      | tr '\n' ' ' || true)
    printf '%-24s caught by %s\n' "$name" "${red:-(compile error or test failure; see a rerun)}"
  fi
done
exit $failed
