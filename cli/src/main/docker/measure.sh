#!/usr/bin/env bash
# Measures the image as docs/container.md reports it: its size, and the time from `docker run` to the
# first 200 from the health endpoint through the mapped port, over RUNS runs (default 10).
#
#   cli/src/main/docker/measure.sh chat852/mock-server:VERSION [RUNS]
set -euo pipefail
image=$1
runs=${2:-10}
port=18520

docker image inspect --format 'size: {{.Size}} bytes' "$image"
times=()
for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    id=$(docker run --detach --rm --publish "$port:8520" "$image")
    until curl --silent --fail --output /dev/null "http://127.0.0.1:$port/__admin/health"; do
        sleep 0.01
    done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    docker stop --time 5 "$id" >/dev/null
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "docker run to ready, ms: $(echo $sorted)"
echo "median: $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms, max: $(echo "$sorted" | tail -1) ms"
