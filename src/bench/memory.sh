#!/usr/bin/env bash
# Retained heap and RSS of hookbus started with bin/hookbus, idle and after 3 000 Claude Code Write events of 200 KB.
# One JSON line on stdout.
#   src/bench/memory.sh [--writes 3000] [--server-opts "-Xmx…"]
# BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
exec java -Xmx1g -Dlogback.configurationFile=src/bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hookbus.bench.MemoryBench "$@"
