#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into a cache outside the repository, once.
# Prints the path of the `claude` executable on stdout; everything else goes to stderr.
#   HOOKBUS_CLAUDE_CACHE   cache root (default $HOME/.cache/hookbus)
#   HOOKBUS_CLAUDE_VERSION version to install (default 2.1.332; pinned: a bare install may pick an old release)
set -euo pipefail

version="${HOOKBUS_CLAUDE_VERSION:-2.1.332}"
cache="${HOOKBUS_CLAUDE_CACHE:-$HOME/.cache/hookbus}"
prefix="$cache/claude-code-$version"
bin="$prefix/node_modules/.bin/claude"
stamp="$prefix/.installed"

installed_version() {
  [ -f "$stamp" ] && [ -x "$bin" ] || return 1
  node -e 'process.stdout.write(require(process.argv[1]).version)' \
    "$prefix/node_modules/@anthropic-ai/claude-code/package.json" 2>/dev/null
}

if [ "$(installed_version || true)" = "$version" ]; then
  echo "$bin"
  exit 0
fi

command -v npm >/dev/null || { echo "install.sh: npm is needed to install Claude Code" >&2; exit 1; }
echo "install.sh: installing @anthropic-ai/claude-code@$version into $prefix" >&2
rm -rf "$prefix.partial"
mkdir -p "$prefix.partial"
echo '{"name":"hookbus-claude-cache","private":true}' > "$prefix.partial/package.json"
npm install --prefix "$prefix.partial" --no-audit --no-fund --loglevel=error \
  --save-exact "@anthropic-ai/claude-code@$version" >&2
rm -rf "$prefix"
mv "$prefix.partial" "$prefix"
touch "$stamp"
[ "$(installed_version)" = "$version" ] || { echo "install.sh: installed version is not $version" >&2; exit 1; }
echo "$bin"
