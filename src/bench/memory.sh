#!/usr/bin/env bash
# Retained heap and RSS of hookbus started with bin/hookbus, idle and after 3 000 Claude Code Write events of 200 KB.
# One JSON line on stdout.
#   src/bench/memory.sh [--writes 3000] [--server-opts "-Xmx…"]
# BENCH_SKIP_BUILD=1 reuses the last build.
BENCH_MAIN=MemoryBench exec "$(dirname "$0")/run.sh" "$@"
