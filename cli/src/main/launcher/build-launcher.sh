#!/usr/bin/env bash
# Writes the launcher cli/target/chat852 and its class-data-sharing archive cli/target/chat852.jsa,
# made by one training run of the shaded jar, `chat --offline --speed 0 hi` (the classes of the
# command line, the client, the JDK transport, the mock and Netty), then checked to map (-Xshare:on).
# Run by the cli module's build (package phase, after the shaded jar); see docs/cli.md, Start-up time.
#
#   build-launcher.sh TARGET_DIR JAVA_HOME
set -euo pipefail
target=$1
java=$2/bin/java
here=$(cd "$(dirname "$0")" && pwd)

rm -f "$target/chat852.jsa"
install -m 755 "$here/chat852" "$target/chat852"
# No token of the builder's: offline sends it only to the in-process mock, but it has no business here.
if ! out=$(env -u CHAT852_TOKEN "$java" -XX:ArchiveClassesAtExit="$target/chat852.jsa" -jar "$target/chat852.jar" \
        chat --offline --speed 0 hi 2>&1 >/dev/null) || [[ ! -f "$target/chat852.jsa" ]]; then
    echo "[chat852 launcher] ERROR: the training run made no archive: $out" >&2
    exit 1
fi
# A stale or broken archive would only make start-up slow, silently: -Xshare:on fails instead.
if ! "$java" -XX:SharedArchiveFile="$target/chat852.jsa" -Xshare:on -jar "$target/chat852.jar" --version >/dev/null; then
    echo "[chat852 launcher] ERROR: $target/chat852.jsa cannot be mapped" >&2
    exit 1
fi
echo "[chat852 launcher] wrote $target/chat852 and $target/chat852.jsa ($(( $(wc -c < "$target/chat852.jsa") / 1000000 )) MB)"
