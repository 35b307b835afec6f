#!/usr/bin/env bash
# Builds the mock server's container image from the shaded jar, with no registry: FROM scratch, a
# jlinked Java runtime, the shared libraries it links (found with ldd), the jar, and a class-data-
# sharing archive made by running the image once (it halves the JVM's share of the start-up time).
# Run by the cli module's build (package phase); see docs/container.md.
#
#   build-image.sh IMAGE JAR WORK_DIR JAVA_HOME
#
# Without a Docker engine it builds nothing and says so, unless CI=true: then that is an error,
# because CI must run the container tests.
set -euo pipefail

image=$1
jar=$2
work=$(mkdir -p "$3" && cd "$3" && pwd) # absolute: it is mounted into a container below
java_home=$4
here=$(cd "$(dirname "$0")" && pwd)
# What `chat852 mock` loads (jdeps also names java.desktop and java.sql, for Jackson features it
# never uses): Netty needs jdk.unsupported, and jdk.jfr for its allocation events.
modules=java.base,java.logging,jdk.jfr,jdk.unsupported
java_flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData) # as the Dockerfile's ENTRYPOINT (CDS: same GC)

say() { echo "[chat852 image] $*"; }

# What this machine lacks is no error outside CI: the image is not built, and its tests skip.
cannot() {
    if [[ "${CI:-}" == "true" ]]; then
        say "ERROR: $1, and CI=true: the image $image must be built for the container tests." >&2
        exit 1
    fi
    say "$1: $image is not built and the container tests will be skipped. $2" \
        "-Dchat852.image.skip=true skips this step. See docs/container.md."
    exit 0
}

if ! docker info >/dev/null 2>&1; then
    cannot "No Docker engine answers 'docker info'" \
        "To build it, start an engine (e.g. apt-get install docker.io, then dockerd &) and build again;"
fi
started=$(date +%s)
version=${image##*:}
context=$work/context
rootfs=$context/rootfs
cds=$work/cds
stage=$image-stage

# The runtime: reused while the JDK and the module list are the same (jlink takes ~10 s).
stamp="$java_home $modules"
if [[ ! -f $work/jre.stamp || "$(cat "$work/jre.stamp")" != "$stamp" || ! -x $work/jre/bin/java ]]; then
    rm -rf "$work/jre"
    if ! "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
            --compress=2 --output "$work/jre"; then
        cannot "jlink of $java_home failed" "The image needs a JDK whose jlink can link these modules (its jmods);"
    fi
    echo "$stamp" > "$work/jre.stamp"
fi

rm -rf "$context" "$cds"
mkdir -p "$rootfs/app" "$rootfs/tmp" "$cds"
chmod 1777 "$rootfs/tmp"
cp -a "$work/jre" "$rootfs/jre"
cp "$jar" "$rootfs/app/chat852.jar"
# Every library the runtime's executables and libraries link, outside the runtime itself, and the
# dynamic loader: what a distribution's base image would have provided.
find "$rootfs/jre" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
    | xargs -0 -n1 ldd 2>/dev/null \
    | awk '$1 ~ /^\// {print $1} $3 ~ /^\// {print $3}' \
    | grep -v "^$rootfs/" | sort -u \
    | while read -r lib; do cp --parents -L "$lib" "$rootfs/"; done
if ! find "$rootfs" -name 'ld-linux*' | grep -q .; then
    say "ERROR: ldd found no dynamic loader for $java_home/bin/java" >&2
    exit 1
fi

build() {
    local out
    out=$(docker build --build-arg "VERSION=$version" --tag "$1" --file "$here/Dockerfile" "$context" 2>&1) \
        || { echo "$out" >&2; return 1; }
}

# 1. The image without its archive; 2. the classes chat852 mock loads up to ready, listed by running
# it; 3. the archive dumped from that list, in the image's own paths; 4. the image with the archive.
build "$stage"
user="$(id -u):$(id -g)"
name=chat852-cds-$$
docker run --detach --name "$name" --user "$user" -v "$cds:/cds" --entrypoint /jre/bin/java "$stage" \
    "${java_flags[@]}" -XX:DumpLoadedClassList=/cds/classes.lst -jar /app/chat852.jar mock --host 0.0.0.0 >/dev/null
for _ in $(seq 1 300); do
    docker logs "$name" 2>/dev/null | grep -q '^listening on ' && break
    sleep 0.1
done
docker stop --time 10 "$name" >/dev/null
ready=$(docker logs "$name" 2>&1 | grep -c '^listening on ' || true)
docker rm "$name" >/dev/null
if [[ $ready != 1 ]]; then
    say "ERROR: the image did not start: no 'listening on' line" >&2
    exit 1
fi
docker run --rm --user "$user" -v "$cds:/cds" --entrypoint /jre/bin/java "$stage" "${java_flags[@]}" -Xshare:dump \
    -XX:SharedClassListFile=/cds/classes.lst -XX:SharedArchiveFile=/cds/chat852.jsa -cp /app/chat852.jar >/dev/null 2>&1
cp "$cds/chat852.jsa" "$rootfs/app/chat852.jsa"
build "$image"
docker rmi "$stage" >/dev/null

# The archive must be usable (-Xshare:on fails otherwise), or the image would start slowly unnoticed.
if ! docker run --rm --entrypoint /jre/bin/java "$image" "${java_flags[@]}" -XX:SharedArchiveFile=/app/chat852.jsa \
        -Xshare:on -jar /app/chat852.jar --version | grep -q "chat852 $version"; then
    say "ERROR: $image does not start with its class-data-sharing archive" >&2
    exit 1
fi
# Earlier builds of this image, now untagged.
docker image prune --force --filter label=dev.chat852.image=mock-server >/dev/null
size=$(docker image inspect --format '{{.Size}}' "$image")
say "built $image: $((size / 1000000)) MB in $(( $(date +%s) - started )) s"
