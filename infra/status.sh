#!/usr/bin/env bash
# Shows each engine's state, pids, memory (PSS, children included) and endpoint:
#   bash infra/status.sh [all|kafka|influxdb|postgres|mosquitto]...
# Exit status 0 when every named engine is up and healthy, 1 otherwise.

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

main() {
  local services svc state rc=0 pid rss pids
  mapfile -t services < <(resolve_services "$@")
  printf '%-10s %-8s %-16s %9s  %s\n' ENGINE STATE PIDS PSS_MiB ENDPOINT
  for svc in "${services[@]}"; do
    if ! "${svc}_installed"; then
      state="missing"
      rc=1
    elif ! "${svc}_running"; then
      state="down"
      rc=1
    elif "${svc}_healthy"; then
      state="up"
    else
      state="starting"
      rc=1
    fi
    pids="$("${svc}_pids" | tr '\n' ' ')"
    rss=0
    for pid in $pids; do rss=$((rss + $(mem_kb "$pid"))); done
    printf '%-10s %-8s %-16s %9s  %s\n' "$svc" "$state" "${pids:--}" "$((rss / 1024))" "$("${svc}_endpoint")"
  done
  return "$rc"
}

main "$@"
