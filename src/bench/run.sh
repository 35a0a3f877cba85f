#!/usr/bin/env bash
# The benchmark: builds target/hookbus.jar and the load generator, then runs the scenarios against hookbus
# started from the jar as its own process. One JSON line per scenario on stdout (and in target/bench/results.jsonl).
#   src/bench/run.sh --scenario all
#   src/bench/run.sh --subscribers 100 --rate 500 --duration 20
#   src/bench/run.sh --connections 10000
#   src/bench/run.sh --scenario compare --duration 10   # hookbus and the seed design's server, official clients
# BENCH_SKIP_BUILD=1 reuses the last build; BENCH_GENERATOR_GC=-XX:+UseZGC changes the generator's collector;
# BENCH_MAIN picks another benchmark of src/test/java/dev/hookbus/bench (startup.sh and memory.sh do).
set -euo pipefail
cd "$(dirname "$0")/../.."

# 10 000 idle connections need 10 000 descriptors in the generator and in hookbus (which inherits this limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # On stderr, so that stdout stays one JSON line per result (the build's npm ci prints there).
  mvn -B -q -DskipTests package >&2
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >&2
fi

# The official browser clients in Node (--client official, and socket.io-client for --server peer|both).
if [ ! -d src/bench/node/node_modules ]; then
  (cd src/bench/node && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

exec java -Xmx1g ${BENCH_GENERATOR_GC:--XX:+UseParallelGC} -Dlogback.configurationFile=src/bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "dev.hookbus.bench.${BENCH_MAIN:-Bench}" "$@"
