#!/usr/bin/env bash
# Starts the real engines on 127.0.0.1 and waits until each is ready:
#   bash infra/up.sh [all|kafka|influxdb|postgres|mosquitto]...   (npm run infra:up)
# Idempotent: an engine already up is only health-checked. Installs what is
# missing first (infra/install.sh). Data and logs live under .infra/; the
# endpoints are printed (KEY=value on stdout) and written to .infra/endpoints.env.

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

main() {
  local services svc t0 missing=() started=() already=()
  mapfile -t services < <(resolve_services "$@")
  t0="$(now_ms)"

  for svc in "${services[@]}"; do
    "${svc}_installed" || missing+=("$svc")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "not installed yet: ${missing[*]}"
    bash "$INFRA_SRC/install.sh" "${missing[@]}"
  fi

  with_lock
  # Launch everything first (Kafka's JVM is the long pole), then wait for each.
  for svc in "${services[@]}"; do
    if "${svc}_running" && "${svc}_healthy"; then
      already+=("$svc")
    else
      "${svc}_start"
      started+=("$svc")
    fi
  done
  # Fastest first, so each "ready" time below is that engine's own.
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    svc="${started[$i]}"
    "${svc}_wait"
    log "$svc: ready (+$(($(now_ms) - t0)) ms)"
  done
  [ "${#already[@]}" -eq 0 ] || log "already up: ${already[*]}"

  write_endpoints
  log "up in $(($(now_ms) - t0)) ms; endpoints in $INFRA_DIR/endpoints.env"
  grep -v '^#' "$INFRA_DIR/endpoints.env"
}

main "$@"
