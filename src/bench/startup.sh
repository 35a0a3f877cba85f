#!/usr/bin/env bash
# Start-up time on a big journal: writes one (Claude Code hook bodies), then times java -jar target/hookbus.jar to
# /health/ready with its checkpoint, without it, and on an empty store. One JSON line on stdout.
#   src/bench/startup.sh --events 1000000 [--tail 9999] [--server-opts "-Xmx…"]
# BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests package
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
exec java -Xmx1g -Dlogback.configurationFile=src/bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.hookbus.bench.StartupBench "$@"
