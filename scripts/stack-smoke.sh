#!/usr/bin/env bash
# Smoke test of the whole compose stack (docker-compose.yml): MySQL 8.4, the agent, Prometheus,
# Grafana with the plugin, Mailpit. Brings the stack up under its own project name, waits for every
# service, then checks through the services' HTTP APIs and prints one `PASS <check>` or
# `FAIL <check>: <why>` line per check and a summary; exits non-zero if anything failed. Tears the
# stack down (`docker compose down -v`) at the end and on Ctrl-C, unless --keep is given.
#
#   scripts/stack-smoke.sh [--keep] [--build]
#
# Needs Docker with the Compose v2 plugin, curl and jq (and npm when dist/ must be built).
# test/stackSmoke.test.ts lints this file and checks every name, port, id and route below against
# docker-compose.yml, plugin.json, src/panels/*/plugin.json, provisioning/ and docker/warden.yaml.
# jq programs, given to jq through the jqb wrapper, name jq's own $variables in single quotes:
# shellcheck disable=SC2016
set -euo pipefail

# --- config begin: every URL, port, service name and id the script uses ------------------------
COMPOSE_FILE=docker-compose.yml
# Its own project: `down -v` removes this run's volumes, never those of a stack you run yourself.
COMPOSE_PROJECT=warden-smoke
SVC_MYSQL=mysql
SVC_AGENT=agent
SVC_PROMETHEUS=prometheus
SVC_GRAFANA=grafana
SVC_MAILPIT=mailcatcher
# The variables docker-compose.yml demands (`${VAR:?...}`); generated when unset.
REQUIRED_ENV=(WARDEN_API_TOKEN SHOP_DB_PASSWORD MYSQL_ROOT_PASSWORD GRAFANA_ADMIN_PASSWORD)

# Published ports, as docker-compose.yml binds them on the host.
HOST=127.0.0.1
AGENT_PORT=9207
PROMETHEUS_PORT=9090
GRAFANA_PORT=3000
MAILPIT_PORT=8025
AGENT_URL="http://${HOST}:${AGENT_PORT}"
PROMETHEUS_URL="http://${HOST}:${PROMETHEUS_PORT}"
GRAFANA_URL="http://${HOST}:${GRAFANA_PORT}"
MAILPIT_URL="http://${HOST}:${MAILPIT_PORT}"

# Readiness. Agent: docs/api.md (`GET /readyz`: config loaded, repository writable).
# Prometheus: management API, https://prometheus.io/docs/prometheus/latest/management_api/ (`/-/ready`).
# Grafana: https://grafana.com/docs/grafana/latest/developers/http_api/other/#health-api (`GET /api/health`).
# Mailpit: its Kubernetes probes, axllent/mailpit server/server.go (`/readyz`, handlers/k8sready.go).
AGENT_READY_URL="${AGENT_URL}/readyz"
PROMETHEUS_READY_URL="${PROMETHEUS_URL}/-/ready"
GRAFANA_HEALTH_URL="${GRAFANA_URL}/api/health"
MAILPIT_READY_URL="${MAILPIT_URL}/readyz"

# Grafana's built-in admin (docker-compose.yml sets only its password).
GRAFANA_USER="admin"
# The app and its nested panels (plugin.json, src/panels/*/plugin.json).
APP_ID=warden-mysqlbackup-app
PANEL_IDS=(warden-backupstatus-panel warden-backupcontrol-panel)
# Grafana's plugin API has no page in Grafana's docs; its source is grafana/grafana pkg/api/plugins.go:
# GetPluginList (`GET /api/plugins`) lists what the plugin store loaded; `?embedded=0` would hide
# plugins nested in an app (`pluginDef.IncludedInAppID != ""`), so the list is asked unfiltered.
# GetPluginSettingByID (`GET /api/plugins/:pluginId/settings`) answers 404 "Plugin not found, no
# installed plugin with that id" for one that did not load; GetPluginErrorsList
# (`GET /api/plugins/errors`) says why (e.g. signatureMissing).
GRAFANA_PLUGINS_URL="${GRAFANA_URL}/api/plugins"
GRAFANA_PLUGIN_ERRORS_URL="${GRAFANA_URL}/api/plugins/errors"
GRAFANA_APP_SETTINGS_URL="${GRAFANA_URL}/api/plugins/${APP_ID}/settings"

# The app's plugin route for agent slot 0 (plugin.json routes `agent/0/*`, provisioning/plugins/warden.yaml),
# and the agent API behind it (docs/api.md).
AGENT_SLOT=0
PROXY_URL="${GRAFANA_URL}/api/plugin-proxy/${APP_ID}/agent/${AGENT_SLOT}"
TARGET=shop
PROXY_TARGET_URL="${PROXY_URL}/api/v1/targets/${TARGET}"
PROXY_BACKUPS_TRIGGER_URL="${PROXY_TARGET_URL}/backups"
PROXY_BACKUP_URL="${PROXY_URL}/api/v1/backups"

# Prometheus HTTP API, https://prometheus.io/docs/prometheus/latest/querying/api/
# (`/api/v1/targets`: activeTargets[].labels.job and .health; `/api/v1/query`: instant query).
PROMETHEUS_TARGETS_URL="${PROMETHEUS_URL}/api/v1/targets"
PROMETHEUS_QUERY_URL="${PROMETHEUS_URL}/api/v1/query"
SCRAPE_JOB=warden
SUCCESS_METRIC=mysql_backup_last_success_timestamp_seconds

# Grafana alerting. Provisioning API (https://grafana.com/docs/grafana/v11.0/developers/http_api/alerting_provisioning/):
# `GET /api/v1/provisioning/alert-rules/:uid`, `GET /api/v1/provisioning/folder/:folderUid/rule-groups/:group`,
# `GET /api/v1/provisioning/policies`. Rule state: the Prometheus-compatible
# `GET /api/prometheus/grafana/api/v1/rules` (grafana/grafana pkg/services/ngalert/api/tooling/definitions/prom.go,
# RouteGetGrafanaRuleStatuses: data.groups[].rules[] with name, state, health, lastError, lastEvaluation).
GRAFANA_RULE_URL="${GRAFANA_URL}/api/v1/provisioning/alert-rules"
GRAFANA_FOLDER_URL="${GRAFANA_URL}/api/v1/provisioning/folder"
GRAFANA_POLICIES_URL="${GRAFANA_URL}/api/v1/provisioning/policies"
GRAFANA_RULE_STATUS_URL="${GRAFANA_URL}/api/prometheus/grafana/api/v1/rules"
# Every rule uid in provisioning/alerting/rules.yaml.
RULE_UIDS=(
  warden-backup-failed-critical
  warden-backup-failed-error
  warden-backup-failed-warning
  warden-backup-stale
  warden-verify-failed
  warden-not-verified
  warden-repository-space-low
  warden-disk-full
  warden-run-stuck
  warden-agent-down
  warden-retries-storming
  warden-binlog-archiving-stalled
  warden-binlog-gap
  warden-offsite-copy-missing
  warden-offsite-copy-failed
)
# The backup-failed rules whose severity provisioning/alerting/policies.yaml routes to e-mail.
EMAIL_FAILED_RULE_UIDS=(warden-backup-failed-critical warden-backup-failed-error)

# The forced failure: the backup user of docker/mysql-init/02-grants.sh gets a wrong password, so the
# agent's next run fails with class auth (severity error, rule warden-backup-failed-error, e-mail).
BACKUP_USER=backup
BACKUP_USER_HOST=%
FORCED_FAILURE_CLASS=auth

# Mailpit API v1 (https://mailpit.axllent.org/docs/api-v1/; axllent/mailpit server/apiv1/messages.go):
# `GET /api/v1/messages` lists messages newest first: messages[].ID, .Subject.
MAILPIT_MESSAGES_URL="${MAILPIT_URL}/api/v1/messages"

# Times, in seconds. The fallbacks are what rules.yaml (group interval, `for` of the e-mailed
# backup-failed rules), policies.yaml (group_wait) and prometheus.yml (scrape_interval) say; the
# script asks Grafana for the live values and uses these only when it cannot.
UP_TIMEOUT=300
BACKUP_TIMEOUT=600
SCRAPE_INTERVAL=15
RULE_INTERVAL_FALLBACK=60
RULE_FOR_FALLBACK=0
GROUP_WAIT_FALLBACK=30
MAIL_MARGIN=120
HTTP_TIMEOUT=20
POLL=3
# --- config end ---------------------------------------------------------------------------------

usage() { # printf only (a builtin): --help works with nothing in PATH
  printf '%s\n' \
    'Usage: scripts/stack-smoke.sh [--keep] [--build]' \
    '' \
    "Brings up $COMPOSE_FILE (project $COMPOSE_PROJECT), waits for every service, and checks:" \
    '  1. Grafana lists the app and both nested panels as loaded;' \
    "  2. a backup triggered through the plugin proxy route of the app succeeds against MySQL 8.4;" \
    "  3. Prometheus scrapes the agent and has $SUCCESS_METRIC;" \
    '  4. the provisioned alert rules exist and evaluate;' \
    '  5. a forced backup failure (wrong password) sends the "backup failed" mail to Mailpit.' \
    'Prints PASS/FAIL per check and a summary; exits 1 if a check failed or the stack did not come up,' \
    '2 if something it needs (docker, Compose v2, curl, jq, npm for the plugin) is missing.' \
    '' \
    '  --keep   leave the stack running afterwards (default: docker compose down -v, also on Ctrl-C)' \
    '  --build  rebuild the plugin (npm run build) even if dist/ looks current' \
    "Unset ${REQUIRED_ENV[*]} get throwaway random values" \
    'for this run (set GRAFANA_ADMIN_PASSWORD yourself to log in to a --keep stack).'
}

KEEP=0
BUILD=0
for arg in "$@"; do
  case $arg in
    --keep) KEEP=1 ;;
    --build) BUILD=1 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'stack-smoke: unknown option %s\n\n' "$arg" >&2; usage >&2; exit 2 ;;
  esac
done

die() { printf 'stack-smoke: %s\n' "$*" >&2; exit 2; }
note() { printf 'stack-smoke: %s\n' "$*" >&2; }

# --- prerequisites, before anything starts -------------------------------------------------------
missing=()
command -v docker >/dev/null 2>&1 || missing+=("docker (Docker Engine with the Compose v2 plugin: https://docs.docker.com/engine/install/)")
command -v curl >/dev/null 2>&1 || missing+=("curl (Debian/Ubuntu: apt-get install curl)")
command -v jq >/dev/null 2>&1 || missing+=("jq (Debian/Ubuntu: apt-get install jq)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'stack-smoke: cannot run, missing from PATH:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi
docker compose version >/dev/null 2>&1 ||
  die "'docker compose' (Compose v2) does not work here: install the Compose plugin (package docker-compose-plugin)"
docker info >/dev/null 2>&1 ||
  die "cannot reach the Docker daemon ('docker info' failed): start Docker, or check DOCKER_HOST and your permissions"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$ROOT/$COMPOSE_FILE" ] || die "no $COMPOSE_FILE in $ROOT"
TMP=$(mktemp -d)
STACK_STARTED=0
PASSWORD_BROKEN=0
PASSED=0
FAILED=0

compose() { docker compose -p "$COMPOSE_PROJECT" -f "$ROOT/$COMPOSE_FILE" "$@"; }

summary() { printf 'stack-smoke: %d passed, %d failed\n' "$PASSED" "$FAILED"; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$PASSWORD_BROKEN" = 1 ] && [ "$KEEP" = 1 ]; then mysql_backup_password restore || true; fi
  if [ "$STACK_STARTED" = 1 ]; then
    if [ "$KEEP" = 1 ]; then
      note "--keep: the stack stays up; remove it with: docker compose -p $COMPOSE_PROJECT -f $COMPOSE_FILE down -v"
    else
      note "tearing the stack down (docker compose down -v)"
      compose down -v --remove-orphans >/dev/null 2>&1 || note "docker compose down -v failed; run it yourself: docker compose -p $COMPOSE_PROJECT -f $COMPOSE_FILE down -v"
    fi
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'note "interrupted"; exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }
short() { local s=${1//$'\n'/ }; printf '%s' "${s:0:300}"; }

# --- HTTP: request <auth: grafana|none> <method> <url> [curl args...] -> HTTP_STATUS, HTTP_BODY --
HTTP_STATUS=000
HTTP_BODY=
# curl's config syntax for a quoted value: backslash and double quote escaped. The password goes to
# curl through a file descriptor (-K), never on its command line.
curl_quote() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
grafana_auth() { printf 'user = %s\n' "$(curl_quote "$GRAFANA_USER:$GRAFANA_ADMIN_PASSWORD")"; }
request() {
  local auth=$1 method=$2 url=$3 out
  shift 3
  local args=(--silent --show-error --max-time "$HTTP_TIMEOUT" -H 'Accept: application/json' -X "$method" -o "$TMP/body" -w '%{http_code}' "$@")
  : >"$TMP/body"
  if [ "$auth" = grafana ]; then
    out=$(curl "${args[@]}" -K <(grafana_auth) "$url" 2>"$TMP/err") || out=000
  else
    out=$(curl "${args[@]}" "$url" 2>"$TMP/err") || out=000
  fi
  HTTP_STATUS=$out
  HTTP_BODY=$(cat "$TMP/body")
  if [ "$HTTP_STATUS" = 000 ]; then HTTP_BODY=$(cat "$TMP/err"); fi
  return 0
}
# jq on the last answer; prints nothing (and fails) when it is not JSON.
jqb() { jq "$@" <<<"$HTTP_BODY" 2>/dev/null; }

# A Prometheus/Go duration ("0s", "5m", "1h30m", "5m0s") or plain seconds, in whole seconds.
dur_seconds() {
  local d=$1 total=0 n u
  if [[ $d =~ ^[0-9]+$ ]]; then printf '%s' "$d"; return 0; fi
  while [[ $d =~ ^([0-9]+)(ms|s|m|h|d|w)(.*)$ ]]; do
    n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} d=${BASH_REMATCH[3]}
    case $u in
      ms) ;;
      s) total=$((total + n)) ;;
      m) total=$((total + n * 60)) ;;
      h) total=$((total + n * 3600)) ;;
      d) total=$((total + n * 86400)) ;;
      w) total=$((total + n * 604800)) ;;
    esac
  done
  [ -z "$d" ] || return 1
  printf '%s' "$total"
}

random_secret() {
  if command -v openssl >/dev/null 2>&1; then openssl rand -hex 24; else od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; fi
}

# --- secrets --------------------------------------------------------------------------------------
generated=()
for var in "${REQUIRED_ENV[@]}"; do
  if [ -z "${!var:-}" ]; then
    printf -v "$var" '%s' "$(random_secret)"
    export "${var?}"
    generated+=("$var")
  fi
done
if [ ${#generated[@]} -gt 0 ]; then
  note "generated throwaway values for ${generated[*]} (unset in the environment; they override any .env for this run only)"
fi

# --- the plugin in dist/ (Grafana mounts it read-only) ---------------------------------------------
plugin_built() {
  [ -f "$ROOT/dist/plugin.json" ] && [ -f "$ROOT/dist/module.js" ] || return 1
  local p
  while IFS= read -r p; do
    [ -f "$ROOT/dist/$p/plugin.json" ] && [ -f "$ROOT/dist/$p/module.js" ] || return 1
  done < <(jq -r '.includes[]? | select(.type == "panel") | .path' "$ROOT/dist/plugin.json")
  # Stale when a source is newer than the bundle.
  [ -z "$(find "$ROOT/src" "$ROOT/plugin.json" -newer "$ROOT/dist/module.js" -print -quit 2>/dev/null)" ]
}
if [ "$BUILD" = 1 ] || ! plugin_built; then
  command -v npm >/dev/null 2>&1 || die "dist/ is missing or older than src/, and npm is not in PATH to build it (npm run build)"
  [ -d "$ROOT/node_modules" ] || die "dist/ must be built but node_modules is missing: run npm ci first"
  note "building the plugin into dist/ (npm run build)"
  (cd "$ROOT" && npm run --silent build) >&2 || die "npm run build failed"
else
  note "using the plugin already built in dist/ (--build rebuilds it)"
fi

# --- up, and wait for every service ---------------------------------------------------------------
note "starting the stack (docker compose -p $COMPOSE_PROJECT up -d --build); the first run pulls images and builds the agent"
STACK_STARTED=1
if ! compose up -d --build >&2; then
  fail "compose-up" "docker compose up -d --build failed (see its output above)"
  summary
  exit 1
fi

container_state() { # <service> -> running|exited|... and the health, if the image has one
  local id
  id=$(compose ps -a -q "$1" 2>/dev/null | head -n 1)
  [ -n "$id" ] || { printf 'no container'; return 0; }
  docker inspect -f '{{.State.Status}}{{if .State.Health}} {{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || printf 'unknown'
}
service_down() { # <service> <why>
  fail "up:$1" "$2; its last log lines follow"
  compose logs --no-color --tail 40 "$1" >&2 || true
}
wait_healthy() { # <service>: the container's own healthcheck (docker-compose.yml)
  local svc=$1 end=$((SECONDS + UP_TIMEOUT)) state
  while :; do
    state=$(container_state "$svc")
    case $state in
      "running healthy") pass "up:$svc (container healthy)"; return 0 ;;
      exited* | dead* | "no container") service_down "$svc" "container is $state"; return 1 ;;
    esac
    if [ "$SECONDS" -ge "$end" ]; then service_down "$svc" "not healthy after ${UP_TIMEOUT}s (state: $state)"; return 1; fi
    sleep "$POLL"
  done
}
wait_http() { # <service> <url>: 200 from the service's readiness endpoint
  local svc=$1 url=$2 end=$((SECONDS + UP_TIMEOUT)) state
  while :; do
    request none GET "$url"
    if [ "$HTTP_STATUS" = 200 ]; then pass "up:$svc (GET $url answered 200)"; return 0; fi
    state=$(container_state "$svc")
    case $state in
      exited* | dead* | "no container") service_down "$svc" "container is $state"; return 1 ;;
    esac
    if [ "$SECONDS" -ge "$end" ]; then
      service_down "$svc" "GET $url did not answer 200 within ${UP_TIMEOUT}s (last: $HTTP_STATUS $(short "$HTTP_BODY"); container: $state)"
      return 1
    fi
    sleep "$POLL"
  done
}

up_ok=1
wait_healthy "$SVC_MYSQL" || up_ok=0
wait_http "$SVC_AGENT" "$AGENT_READY_URL" || up_ok=0
wait_http "$SVC_PROMETHEUS" "$PROMETHEUS_READY_URL" || up_ok=0
wait_http "$SVC_GRAFANA" "$GRAFANA_HEALTH_URL" || up_ok=0
wait_http "$SVC_MAILPIT" "$MAILPIT_READY_URL" || up_ok=0
if [ "$up_ok" = 0 ]; then
  note "a service did not come up (see the FAIL lines above); the checks were not run"
  summary
  exit 1
fi

# --- 1. Grafana lists the app and both nested panels as loaded ------------------------------------
check_plugins() {
  local name="plugins-loaded" id missing=() wrong=() errors
  request grafana GET "$GRAFANA_PLUGINS_URL"
  if [ "$HTTP_STATUS" != 200 ]; then fail "$name" "GET $GRAFANA_PLUGINS_URL answered $HTTP_STATUS: $(short "$HTTP_BODY")"; return; fi
  local expect_type
  for id in "$APP_ID" "${PANEL_IDS[@]}"; do
    if [ "$id" = "$APP_ID" ]; then expect_type=app; else expect_type=panel; fi
    case $(jqb -r --arg id "$id" 'map(select(.id == $id)) | .[0].type // "absent"' || printf 'absent') in
      "$expect_type") ;;
      absent) missing+=("$id") ;;
      *) wrong+=("$id (not a $expect_type)") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ] || [ ${#wrong[@]} -gt 0 ]; then
    request grafana GET "$GRAFANA_PLUGIN_ERRORS_URL"
    errors=$(jqb -r --arg ids "${missing[*]:-}" '($ids | split(" ")) as $m | map(select(.pluginId as $p | $m | index($p))) | map("\(.pluginId): \(.errorCode)") | join(", ")' || true)
    local why="not loaded: ${missing[*]:-none}"
    [ ${#wrong[@]} -eq 0 ] || why+="; ${wrong[*]}"
    [ -z "$errors" ] || why+="; plugin errors reported by Grafana: $errors (signatureMissing: the id must be in GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS)"
    fail "$name" "$why"
    return
  fi
  request grafana GET "$GRAFANA_APP_SETTINGS_URL"
  if [ "$HTTP_STATUS" != 200 ] || [ "$(jqb -r '.enabled' || true)" != true ]; then
    fail "$name" "the app is loaded but not enabled (GET $GRAFANA_APP_SETTINGS_URL: $HTTP_STATUS $(short "$HTTP_BODY"))"
    return
  fi
  pass "$name ($APP_ID enabled; ${PANEL_IDS[*]} loaded)"
}

# --- backups through the plugin proxy -------------------------------------------------------------
BACKUP_ID=
WHY=
wait_target_idle() { # the agent runs a never-succeeded target at start; wait for that run to end
  local end=$((SECONDS + BACKUP_TIMEOUT)) running
  while :; do
    request grafana GET "$PROXY_TARGET_URL"
    if [ "$HTTP_STATUS" = 200 ]; then
      running=$(jqb -r '.running.id // empty' || true)
      [ -n "$running" ] || return 0
    fi
    if [ "$SECONDS" -ge "$end" ]; then WHY="target $TARGET still busy after ${BACKUP_TIMEOUT}s (GET $PROXY_TARGET_URL: $HTTP_STATUS $(short "$HTTP_BODY"))"; return 1; fi
    sleep "$POLL"
  done
}
trigger_backup() { # POST through the proxy as the Grafana admin -> BACKUP_ID
  local attempt
  BACKUP_ID=
  for attempt in 1 2 3; do
    wait_target_idle || return 1
    # The body the app itself sends (src/shared/api/client.ts); docs/api.md: "takes no body (or {})".
    request grafana POST "$PROXY_BACKUPS_TRIGGER_URL" -H 'Content-Type: application/json' --data '{}'
    case $HTTP_STATUS in
      202)
        BACKUP_ID=$(jqb -r '.id // empty' || true)
        [ -n "$BACKUP_ID" ] && return 0
        WHY="POST $PROXY_BACKUPS_TRIGGER_URL answered 202 without an id: $(short "$HTTP_BODY")"
        return 1
        ;;
      409) note "a run of $TARGET is going (409, attempt $attempt); waiting for it" ;;
      *)
        WHY="POST $PROXY_BACKUPS_TRIGGER_URL answered $HTTP_STATUS: $(short "$HTTP_BODY")"
        return 1
        ;;
    esac
  done
  WHY="POST $PROXY_BACKUPS_TRIGGER_URL kept answering 409 (a run always in the way)"
  return 1
}
BACKUP_STATUS=
BACKUP_CLASS=
BACKUP_ERROR=
wait_backup() { # <id> -> BACKUP_STATUS, BACKUP_CLASS, BACKUP_ERROR once it is no longer running
  local id=$1 end=$((SECONDS + BACKUP_TIMEOUT))
  while :; do
    request grafana GET "$PROXY_BACKUP_URL/$id"
    if [ "$HTTP_STATUS" = 200 ]; then
      BACKUP_STATUS=$(jqb -r '.status // empty' || true)
      if [ -n "$BACKUP_STATUS" ] && [ "$BACKUP_STATUS" != running ]; then
        BACKUP_CLASS=$(jqb -r '.class // empty' || true)
        BACKUP_ERROR=$(jqb -r '.error.message // empty' || true)
        return 0
      fi
    fi
    if [ "$SECONDS" -ge "$end" ]; then WHY="backup $id did not end within ${BACKUP_TIMEOUT}s (last: $HTTP_STATUS $(short "$HTTP_BODY"))"; return 1; fi
    sleep "$POLL"
  done
}

# --- 2. a backup through the plugin proxy succeeds against MySQL 8.4 -------------------------------
check_backup() {
  local name="backup-through-proxy"
  if ! trigger_backup; then fail "$name" "$WHY"; return; fi
  note "backup $BACKUP_ID of $TARGET started through $PROXY_BACKUPS_TRIGGER_URL; waiting for it"
  if ! wait_backup "$BACKUP_ID"; then fail "$name" "$WHY"; return; fi
  if [ "$BACKUP_STATUS" = success ]; then
    pass "$name (backup $BACKUP_ID of $TARGET: success)"
  else
    fail "$name" "backup $BACKUP_ID of $TARGET ended $BACKUP_STATUS (class $BACKUP_CLASS): $(short "$BACKUP_ERROR")"
  fi
}

# --- 3. Prometheus scrapes the agent and has the success timestamp ---------------------------------
check_prometheus() {
  local end=$((SECONDS + 4 * SCRAPE_INTERVAL + 30)) health=""
  while :; do
    request none GET "$PROMETHEUS_TARGETS_URL"
    health=$(jqb -r --arg job "$SCRAPE_JOB" '[.data.activeTargets[]? | select(.labels.job == $job) | .health] | if length == 0 then "absent" else join(",") end' || printf 'unreadable')
    [ "$health" = up ] && break
    if [ "$SECONDS" -ge "$end" ]; then break; fi
    sleep "$POLL"
  done
  if [ "$health" = up ]; then
    pass "prometheus-scrapes-agent (job $SCRAPE_JOB up)"
  else
    local err
    err=$(jqb -r --arg job "$SCRAPE_JOB" '[.data.activeTargets[]? | select(.labels.job == $job) | .lastError] | join("; ")' || true)
    fail "prometheus-scrapes-agent" "job $SCRAPE_JOB health: $health${err:+ (lastError: $err)} (GET $PROMETHEUS_TARGETS_URL: $HTTP_STATUS)"
  fi

  local query="${SUCCESS_METRIC}{target=\"${TARGET}\"}" value=""
  end=$((SECONDS + 4 * SCRAPE_INTERVAL + 30))
  while :; do
    request none GET "$PROMETHEUS_QUERY_URL" -G --data-urlencode "query=$query"
    value=$(jqb -r '.data.result[0].value[1] // empty' || true)
    # A series with a non-zero timestamp: the successful backup above (or the start-up run) was scraped.
    if [ -n "$value" ] && [ "${value%%.*}" != 0 ]; then break; fi
    if [ "$SECONDS" -ge "$end" ]; then break; fi
    sleep "$POLL"
  done
  if [ -z "$value" ]; then
    fail "prometheus-has-metric" "no series for $query (GET $PROMETHEUS_QUERY_URL: $HTTP_STATUS $(short "$HTTP_BODY"))"
  elif [ "${value%%.*}" = 0 ]; then
    fail "prometheus-has-metric" "$query is 0: no successful backup of $TARGET was scraped"
  else
    pass "prometheus-has-metric ($query = $value)"
  fi
}

# --- 4. the provisioned alert rules exist and evaluate ---------------------------------------------
declare -A RULE_TITLE=() RULE_FOLDER=() RULE_GROUP=() RULE_FOR=()
check_rules() {
  local uid missing=()
  for uid in "${RULE_UIDS[@]}"; do
    request grafana GET "$GRAFANA_RULE_URL/$uid"
    if [ "$HTTP_STATUS" = 200 ] && [ "$(jqb -r '.uid // empty' || true)" = "$uid" ]; then
      RULE_TITLE[$uid]=$(jqb -r '.title')
      RULE_FOLDER[$uid]=$(jqb -r '.folderUID')
      RULE_GROUP[$uid]=$(jqb -r '.ruleGroup')
      RULE_FOR[$uid]=$(jqb -r '.for // "0s"')
    else
      missing+=("$uid ($HTTP_STATUS)")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    fail "alert-rules-exist" "not in Grafana (GET $GRAFANA_RULE_URL/<uid>): ${missing[*]}"
    fail "alert-rules-evaluate" "skipped: not every rule exists"
    return
  fi
  pass "alert-rules-exist (${#RULE_UIDS[@]} rules provisioned)"

  # Every rule evaluated at least once, without error: within two group intervals.
  local first=${RULE_UIDS[0]} interval
  interval=$(rule_group_interval "$first")
  local end=$((SECONDS + 2 * interval + 30)) bad
  while :; do
    request grafana GET "$GRAFANA_RULE_STATUS_URL"
    bad=$(
      for uid in "${RULE_UIDS[@]}"; do
        jqb -r --arg t "${RULE_TITLE[$uid]}" '
          [.data.groups[]?.rules[]? | select(.name == $t)] as $r
          | if ($r | length) == 0 then "\($t): no state"
            elif ($r[0].lastEvaluation // "" | startswith("0001-")) or ($r[0].lastEvaluation // "") == "" then "\($t): not evaluated yet"
            elif ($r[0].health == "ok" or $r[0].health == "nodata") then empty
            else "\($t): health \($r[0].health) \($r[0].lastError // "")" end' || printf '%s: unreadable answer (%s)\n' "${RULE_TITLE[$uid]}" "$HTTP_STATUS"
      done
    )
    [ -z "$bad" ] && break
    if [ "$SECONDS" -ge "$end" ]; then break; fi
    sleep "$POLL"
  done
  if [ -z "$bad" ]; then
    pass "alert-rules-evaluate (all ${#RULE_UIDS[@]} evaluated, health ok or nodata)"
  else
    fail "alert-rules-evaluate" "after $((2 * interval + 30))s: $(short "${bad//$'\n'/; }")"
  fi
}
rule_group_interval() { # <uid> -> the evaluation interval of its group, in seconds
  local uid=$1 s
  request grafana GET "$GRAFANA_FOLDER_URL/${RULE_FOLDER[$uid]:-}/rule-groups/${RULE_GROUP[$uid]:-}"
  s=$(jqb -r '.interval // empty' || true)
  if [[ $s =~ ^[0-9]+$ ]] && [ "$s" -gt 0 ]; then printf '%s' "$s"; else printf '%s' "$RULE_INTERVAL_FALLBACK"; fi
}
policies_group_wait() { # the longest group_wait in the policy tree, in seconds
  local max=$GROUP_WAIT_FALLBACK w s
  request grafana GET "$GRAFANA_POLICIES_URL"
  while IFS= read -r w; do
    s=$(dur_seconds "$w") || continue
    [ "$s" -gt "$max" ] && max=$s
  done < <(jqb -r '.. | objects | .group_wait? // empty' || true)
  printf '%s' "$max"
}

# --- 5. a forced failure reaches the mail catcher --------------------------------------------------
# Runs inside the mysql container: sets the backup user's password to a random wrong one (break) or
# back to $SHOP_DB_PASSWORD (restore). Root's password goes to the client the way the image's own
# entrypoint passes it (docker-library/mysql docker-entrypoint.sh, _mysql_passfile): an option file
# on a file descriptor, not the command line; the new password reaches mysql on stdin.
read -r -d '' MYSQL_USER_SCRIPT <<'EOS' || true
set -eu
mode=$1 user=$2 host=$3
sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"; }
if [ "$mode" = break ]; then
  password="smoke-wrong-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
else
  password=$SHOP_DB_PASSWORD
fi
printf 'ALTER USER %s@%s IDENTIFIED BY %s;\n' "$(sql_string "$user")" "$(sql_string "$host")" "$(sql_string "$password")" |
  mysql --defaults-extra-file=<(printf '[client]\nuser=root\npassword="%s"\n' "$MYSQL_ROOT_PASSWORD")
EOS
mysql_backup_password() { # break|restore
  compose exec -T "$SVC_MYSQL" bash -s -- "$1" "$BACKUP_USER" "$BACKUP_USER_HOST" <<<"$MYSQL_USER_SCRIPT"
}

check_failure_mail() {
  local name="failed-backup-mail" uid titles=() t
  for uid in "${EMAIL_FAILED_RULE_UIDS[@]}"; do
    t=${RULE_TITLE[$uid]:-}
    if [ -z "$t" ]; then
      request grafana GET "$GRAFANA_RULE_URL/$uid"
      t=$(jqb -r '.title // empty' || true)
      RULE_FOLDER[$uid]=$(jqb -r '.folderUID // empty' || true)
      RULE_GROUP[$uid]=$(jqb -r '.ruleGroup // empty' || true)
      RULE_FOR[$uid]=$(jqb -r '.for // empty' || true)
    fi
    [ -n "$t" ] || { fail "$name" "rule $uid is not in Grafana ($HTTP_STATUS)"; return; }
    titles+=("$t")
  done

  # How long the mail may take: a scrape, the group's evaluation interval (the failure can land just
  # after an evaluation), the longest `for` of the rules, the policy's group_wait, and a margin for
  # Grafana's SMTP and Mailpit.
  local interval for_max=$RULE_FOR_FALLBACK f group_wait timeout
  interval=$(rule_group_interval "${EMAIL_FAILED_RULE_UIDS[0]}")
  for uid in "${EMAIL_FAILED_RULE_UIDS[@]}"; do
    f=$(dur_seconds "${RULE_FOR[$uid]:-0s}") || f=$RULE_FOR_FALLBACK
    [ "$f" -gt "$for_max" ] && for_max=$f
  done
  group_wait=$(policies_group_wait)
  timeout=$((SCRAPE_INTERVAL + interval + for_max + group_wait + MAIL_MARGIN))

  # Mails already there do not count.
  request none GET "$MAILPIT_MESSAGES_URL" -G --data-urlencode "limit=500"
  if [ "$HTTP_STATUS" != 200 ]; then fail "$name" "GET $MAILPIT_MESSAGES_URL answered $HTTP_STATUS: $(short "$HTTP_BODY")"; return; fi
  jqb -r '.messages[]?.ID' >"$TMP/seen" || : >"$TMP/seen"

  note "giving MySQL user $BACKUP_USER a wrong password and backing up $TARGET, expecting class $FORCED_FAILURE_CLASS"
  PASSWORD_BROKEN=1
  if ! mysql_backup_password break >&2; then fail "$name" "could not change the password of $BACKUP_USER in $SVC_MYSQL"; return; fi
  local ok=1
  if ! trigger_backup; then
    fail "$name" "$WHY"; ok=0
  elif ! wait_backup "$BACKUP_ID"; then
    fail "$name" "$WHY"; ok=0
  elif [ "$BACKUP_STATUS" = success ]; then
    fail "$name" "backup $BACKUP_ID succeeded although $BACKUP_USER's password was wrong"; ok=0
  elif [ "$BACKUP_CLASS" != "$FORCED_FAILURE_CLASS" ]; then
    note "backup $BACKUP_ID ended $BACKUP_STATUS with class $BACKUP_CLASS, not $FORCED_FAILURE_CLASS; its alert may route elsewhere than e-mail"
  fi
  if mysql_backup_password restore >&2; then PASSWORD_BROKEN=0; else note "could not restore the password of $BACKUP_USER"; fi
  [ "$ok" = 1 ] || return 0

  note "backup $BACKUP_ID failed (class $BACKUP_CLASS); waiting up to ${timeout}s for a mail (scrape ${SCRAPE_INTERVAL}s + interval ${interval}s + for ${for_max}s + group_wait ${group_wait}s + ${MAIL_MARGIN}s)"
  local end=$((SECONDS + timeout)) found=""
  local titles_json
  titles_json=$(printf '%s\n' "${titles[@]}" | jq -R . | jq -s .)
  while :; do
    request none GET "$MAILPIT_MESSAGES_URL" -G --data-urlencode "limit=500"
    if [ "$HTTP_STATUS" = 200 ]; then
      found=$(jqb -r --argjson titles "$titles_json" --arg target "$TARGET" --rawfile seen "$TMP/seen" '
        ($seen | split("\n")) as $old
        | [.messages[]? | select((.ID as $id | $old | index($id)) | not)
           | select(.Subject as $s | ($s | contains($target)) and any($titles[]; . as $t | $s | contains($t)))
           | .Subject][0] // empty' || true)
      [ -n "$found" ] && break
    fi
    if [ "$SECONDS" -ge "$end" ]; then break; fi
    sleep "$POLL"
  done
  if [ -n "$found" ]; then
    pass "$name (\"$found\" in Mailpit)"
  else
    fail "$name" "no new mail naming $TARGET and one of ${titles[*]} in $MAILPIT_MESSAGES_URL within ${timeout}s (backup $BACKUP_ID: $BACKUP_STATUS, class $BACKUP_CLASS)"
  fi
}

check_plugins
check_backup
check_prometheus
check_rules
check_failure_mail

summary
[ "$FAILED" = 0 ]
