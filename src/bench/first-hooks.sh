#!/usr/bin/env bash
# Reply times of the first hooks after a start (the real Claude Code bodies of the test corpus, one after the
# other, right after /health/ready), hookbus started with bin/hookbus; with and without class sharing by default.
# One JSON line on stdout.
#   src/bench/first-hooks.sh [--starts 3] [--variants "-;-Xshare:off"]
# BENCH_SKIP_BUILD=1 reuses the last build.
BENCH_MAIN=FirstHooksBench exec "$(dirname "$0")/run.sh" "$@"
