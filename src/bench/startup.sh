#!/usr/bin/env bash
# Start-up time on a big journal: writes one (Claude Code hook bodies), then times bin/hookbus to /health/ready with
# its checkpoint, without it, and on an empty store. One JSON line on stdout.
#   src/bench/startup.sh --events 1000000 [--tail 9999] [--server-opts "-Xmx…"]
# BENCH_SKIP_BUILD=1 reuses the last build.
BENCH_MAIN=StartupBench exec "$(dirname "$0")/run.sh" "$@"
