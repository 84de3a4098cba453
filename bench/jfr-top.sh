#!/usr/bin/env bash
# Where the time goes in a JFR recording (JDK 17's `jfr print`): the hottest leaf methods of the Java
# samples (jdk.ExecutionSample), the samples by kind of work (the leaf-most frame that names hashing, disk,
# network, copying, JSON or logging decides), and the same for threads in native code
# (jdk.NativeMethodSample), leaving out threads that only wait (epoll, park, accept).
#
#   bench/jfr-top.sh recording.jfr [top N]
#   SKIP_BUILD=true PARTS=mirror PROFILE_DIR=/tmp/prof bench/speed.sh && bench/jfr-top.sh /tmp/prof/mirror-cold.jfr
set -euo pipefail
jfr_file=$1
top=${2:-15}

summarize() {
  jfr print --stack-depth 64 --events "$1" "$jfr_file" | awk -v top="$top" -v title="$1" '
    function kind(f) {
      if (f ~ /SHA2|MessageDigest|DigestBase|[Dd]igest[A-Z(.]|Sha256/) return "hashing"
      if (f ~ /FileDispatcherImpl|FileChannelImpl|RandomAccessFile|FileOutputStream|FileInputStream|AsyncFileImpl|UnixNativeDispatcher|sun\.nio\.fs|java\.nio\.file\.Files/) return "disk"
      if (f ~ /SocketDispatcher|SocketChannelImpl|NioSocketImpl|io\.netty\.channel|io\.netty\.handler\.codec\.http|HttpClient|vertx\.core\.http|vertx\.core\.net/) return "network (HTTP, sockets)"
      if (f ~ /arraycopy|copyMemory|ByteBuf.*(get|set|write|read)Bytes|Buffer\.(append|get|set)|Arrays\.copyOf|transferTo|\.copy\(/) return "copying buffers"
      if (f ~ /jackson/) return "JSON"
      if (f ~ /jboss\.logging|logmanager/) return "logging"
      return ""
    }
    function flush() {
      if (!n) return
      total++
      leaf[frames[1]]++
      k = ""
      for (i = 1; i <= n && k == ""; i++) k = kind(frames[i])
      kinds[k == "" ? "other" : k]++
      n = 0
    }
    /^jdk\./ { flush(); instack = 0; next }
    /stackTrace = \[/ { instack = 1; next }
    instack && /^ *\]/ { instack = 0; next }
    instack && /\(/ {
      f = $0; sub(/^ +/, "", f); sub(/ +line:.*$/, "", f); sub(/\(.*$/, "", f)
      if (f ~ /^\.\.\./) next
      frames[++n] = f
    }
    END {
      flush()
      if (title == "jdk.NativeMethodSample") {
        # threads that only wait are no work: drop them from the total
        for (f in leaf) if (f ~ /epoll|EPoll|Epoll|park|accept|poll0|sleep|wait|select/) { total -= leaf[f]; kinds_wait += leaf[f]; delete leaf[f] }
      }
      printf "%s: %d samples%s\n", title, total, kinds_wait ? " (plus " kinds_wait " of threads waiting, left out)" : ""
      if (title != "jdk.NativeMethodSample") {
        for (k in kinds) printf "  %5.1f%%  %s\n", 100 * kinds[k] / total, k | "sort -rn"
        close("sort -rn")
      }
      print "  hottest leaf methods:"
      for (f in leaf) printf "  %5.1f%%  %s\n", 100 * leaf[f] / total, f | "sort -rn | head -" top
      close("sort -rn | head -" top)
    }'
}
summarize jdk.ExecutionSample
echo
summarize jdk.NativeMethodSample
