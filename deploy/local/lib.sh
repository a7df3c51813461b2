# shellcheck shell=bash
# Shared functions for the deploy/local scripts: installing the local tools,
# starting and stopping background services, waiting for them to be ready.
# Source it; it only defines variables and functions.
#
# Layout (all under $ROOT/.local, ignored by git):
#   tools/                 installed tools, shared by the main and the test stack
#   run/ logs/ data/       the main stack (deploy/local/run)
#   test/{run,logs,data}/  the test stack (deploy/local/test)
#   keys.env               the demo API keys

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/.local"
TOOLS="$LOCAL/tools"

TEMPORAL_CLI_VERSION=1.5.1
ES_VERSION=9.2.0
ES_USER=supportes
ES_HOME="$TOOLS/elasticsearch-$ES_VERSION"
TEMPORAL_BIN="$TOOLS/bin/temporal"

# The port variables (without the stack's prefix) each service listens on.
declare -gA SERVICE_PORTS=(
  [temporal]="TEMPORAL_PORT TEMPORAL_UI_PORT TEMPORAL_HTTP_PORT TEMPORAL_METRICS_PORT"
  [elasticsearch]="ES_PORT ES_TRANSPORT_PORT"
  [redis]="REDIS_PORT"
  [worker]="WORKER_PORT"
  [api]="API_PORT"
)
# Seconds to wait for readiness; Elasticsearch is slow on two cores.
declare -gA READY_TIMEOUT=([temporal]=90 [elasticsearch]=180 [redis]=30 [worker]=120 [api]=120)

# Names of the services started by this invocation, in start order: traps
# stop exactly these, never ones that were already running and were reused.
STARTED=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# use_stack DIR PREFIX: pid files, logs and data go to DIR/{run,logs,data};
# ports are read from the variables ${PREFIX}_TEMPORAL_PORT and so on.
use_stack() {
  STACK_DIR=$1 PORT_PREFIX=$2
  RUN_DIR="$STACK_DIR/run" LOG_DIR="$STACK_DIR/logs" DATA_DIR="$STACK_DIR/data"
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR" "$TOOLS/bin"
}

# port NAME: this stack's port NAME (e.g. ES_PORT), empty when not set.
port() { local var="${PORT_PREFIX}_$1"; echo "${!var:-}"; }

# main_stack_env: the environment contract of deploy/local/run. Ports are
# overridable; the addresses follow from the ports our servers listen on.
main_stack_env() {
  export SUPPORT_TEMPORAL_PORT=${SUPPORT_TEMPORAL_PORT:-7233}
  export SUPPORT_TEMPORAL_UI_PORT=${SUPPORT_TEMPORAL_UI_PORT:-8233}
  # Pinned, else the dev server picks random ones that may collide later.
  export SUPPORT_TEMPORAL_HTTP_PORT=${SUPPORT_TEMPORAL_HTTP_PORT:-7243}
  export SUPPORT_TEMPORAL_METRICS_PORT=${SUPPORT_TEMPORAL_METRICS_PORT:-7244}
  export SUPPORT_ES_PORT=${SUPPORT_ES_PORT:-9200}
  export SUPPORT_ES_TRANSPORT_PORT=${SUPPORT_ES_TRANSPORT_PORT:-9300}
  export SUPPORT_REDIS_PORT=${SUPPORT_REDIS_PORT:-6379}
  export SUPPORT_API_PORT=${SUPPORT_API_PORT:-7070}
  export SUPPORT_WORKER_PORT=${SUPPORT_WORKER_PORT:-9464}
  export TEMPORAL_NAMESPACE=${TEMPORAL_NAMESPACE:-default}
  export TEMPORAL_ADDRESS="127.0.0.1:$SUPPORT_TEMPORAL_PORT"
  export SUPPORT_ES_URL="http://127.0.0.1:$SUPPORT_ES_PORT"
  export SUPPORT_REDIS_URL="redis://127.0.0.1:$SUPPORT_REDIS_PORT"
}

# ---------------------------------------------------------------- processes

pid_file() { echo "$RUN_DIR/$1.pid"; }

# is_running NAME: NAME's pid file names a live process that we started. A
# process younger than the pid file only reuses its pid (e.g. after a reboot);
# a zombie is dead (the machine's init may be slow to reap orphans).
is_running() {
  local file pid state age
  file=$(pid_file "$1")
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  read -r state age < <(ps -o stat=,etimes= -p "$pid" 2>/dev/null) || return 1
  [[ $state != Z* ]] && (( $(date +%s) - age <= $(stat -c %Y "$file") + 2 ))
}

# group_alive PGID: a process of that group is still alive (zombies aside).
group_alive() {
  ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

# port_in_use PORT: something listens on PORT (on any address).
port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# require_free_ports NAME: exit 1 when one of NAME's ports is taken, naming
# the port, the variable that moves it and, if ss can tell, who holds it.
require_free_ports() {
  local name=$1 key var value holder
  for key in ${SERVICE_PORTS[$name]}; do
    var="${PORT_PREFIX}_$key" value=$(port "$key")
    [[ -n $value ]] || continue
    port_in_use "$value" || continue
    holder=$(ss -Hltnp "sport = :$value" 2>/dev/null | grep -o 'users:.*' | head -n1 || true)
    printf 'error: cannot start %s: port %s is already in use%s.\n' \
      "$name" "$value" "${holder:+ by $holder}" >&2
    printf '       Stop that process, or set %s to a free port.\n' "$var" >&2
    exit 1
  done
}

# reuse_or_check NAME: 0 (and says "reusing") when our NAME is alive; else
# 1, after making sure its ports are free.
reuse_or_check() {
  if is_running "$1"; then
    log "reusing $1 (pid $(<"$(pid_file "$1")"))"
    return 0
  fi
  require_free_ports "$1"
  return 1
}

# spawn NAME CMD...: run CMD in the background in its own session, so that
# Ctrl-C in the terminal does not reach it and stop_service can signal its
# whole process tree. Output appends to the log, the pid goes to the pid file.
spawn() {
  local name=$1 log_file; shift
  log_file="$LOG_DIR/$name.log"
  printf '\n=== %s: %s\n' "$(date '+%F %T')" "$*" >>"$log_file"
  setsid "$@" </dev/null >>"$log_file" 2>&1 &
  echo "$!" >"$(pid_file "$name")"
  STARTED+=("$name")
}

# wait_ready NAME [CHECK...]: poll CHECK (default: NAME_ready) until it
# succeeds; fail with the log's tail when the process dies or time runs out.
wait_ready() {
  local name=$1 timeout=${READY_TIMEOUT[$1]:-120} start=$SECONDS; shift
  (( $# )) || set -- "${name}_ready"
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      fail_with_log "$name" "exited while starting"
    elif (( SECONDS - start >= timeout )); then
      fail_with_log "$name" "was not ready after ${timeout}s"
    fi
    sleep 1
  done
  log "$name ready after $(( SECONDS - start ))s"
}

fail_with_log() {
  local log_file="$LOG_DIR/$1.log"
  printf 'error: %s %s. Last lines of %s:\n' "$1" "$2" "$log_file" >&2
  tail -n 40 "$log_file" >&2 2>/dev/null || true
  exit 1
}

# stop_service NAME: TERM its process group, wait up to 30 s, then KILL.
# Idempotent; a stale pid file is just removed.
stop_service() {
  local name=$1 file pid i
  file=$(pid_file "$name")
  [[ -f $file ]] || return 0
  if is_running "$name"; then
    pid=$(<"$file")
    log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      group_alive "$pid" || break
      sleep 0.2
    done
    if group_alive "$pid"; then
      log "$name did not stop within 30s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true # reaps it when it is our child
  fi
  rm -f "$file"
}

# stop_started: stop what this invocation started, newest first.
stop_started() {
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_service "${STARTED[i]}"
  done
  STARTED=()
}

# run_logged LOGNAME CMD...: run CMD quietly into a log; on failure show the
# log's tail and exit.
run_logged() {
  local log_file="$LOG_DIR/$1.log"; shift
  if ! "$@" >"$log_file" 2>&1; then
    printf 'error: %s failed. Last lines of %s:\n' "$*" "$log_file" >&2
    tail -n 40 "$log_file" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------- installs

# install_temporal: build the official CLI once per machine (tags later than
# v1.5.1 cannot be go-installed) and copy it into .local/tools.
install_temporal() {
  [[ -x $TEMPORAL_BIN ]] && return 0
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/support-agent/temporal-v$TEMPORAL_CLI_VERSION"
  mkdir -p "$cache"
  # The lock keeps a parallel run and test from building into the same place.
  (
    flock 9
    [[ -x $cache/temporal ]] && exit 0
    go=$(command -v go || echo /usr/local/go/bin/go)
    [[ -x $go ]] || die "Go is needed to build the Temporal CLI: install Go 1.23 or newer"
    log "building the Temporal CLI v$TEMPORAL_CLI_VERSION with $("$go" env GOVERSION), a few minutes the first time (log: $LOG_DIR/install-temporal.log)"
    rm -rf "$cache.tmp"
    run_logged install-temporal env GOBIN="$cache.tmp" "$go" install \
      "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
    mv "$cache.tmp/temporal" "$cache/temporal" && rmdir "$cache.tmp"
  ) 9>"$cache.lock"
  cp "$cache/temporal" "$TEMPORAL_BIN.tmp" && mv "$TEMPORAL_BIN.tmp" "$TEMPORAL_BIN"
}

# install_elasticsearch: the integ-test-zip distribution from Maven Central
# (no bundled JDK, few modules: no analysis-common, no painless).
install_elasticsearch() {
  if [[ ! -x $ES_HOME/bin/elasticsearch ]]; then
    local download="$TOOLS/download"
    log "fetching Elasticsearch $ES_VERSION with Maven (log: $LOG_DIR/install-elasticsearch.log)"
    mkdir -p "$download"
    # Run outside the checkout so Maven does not load the project's pom.
    (cd "$download" && run_logged install-elasticsearch mvn -B -ntp dependency:copy \
      "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      "-DoutputDirectory=$download")
    rm -rf "$ES_HOME.tmp"
    unzip -q "$download/elasticsearch-$ES_VERSION.zip" -d "$ES_HOME.tmp"
    rm -rf "$ES_HOME" # a partial one left by an interrupted install
    mv "$ES_HOME.tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$ES_HOME.tmp" "$download"
  fi
  es_prepare_user
}

# Elasticsearch refuses to run as root. As root, run it as a system user that
# owns its home (it writes config/: the keystore, jvm.options.d).
es_prepare_user() {
  [[ $EUID -eq 0 ]] || return 0
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER to run Elasticsearch"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
  fi
  [[ $(stat -c %U "$ES_HOME/config") == "$ES_USER" ]] || chown -R "$ES_USER:" "$ES_HOME"
  es_grant_traverse
}

# The checkout may sit under a directory others cannot enter (e.g. /root):
# give such ancestors the search bit only (not read) so $ES_USER gets through.
es_grant_traverse() {
  local dir=$ES_HOME
  runuser -u "$ES_USER" -- test -x "$ES_HOME/bin/elasticsearch" 2>/dev/null && return 0
  while [[ $dir != / ]]; do
    dir=$(dirname "$dir")
    if [[ $(stat -c %A "$dir") != *[xt] ]]; then
      log "allowing other users to traverse $dir (chmod o+x) so that $ES_USER reaches Elasticsearch"
      chmod o+x "$dir"
    fi
  done
}

# es_java_home: a JDK >= 21 for Elasticsearch (the project itself uses 17).
es_java_home() {
  local home version
  for home in ${ES_JAVA_HOME:-} /usr/lib/jvm/*; do
    [[ -x $home/bin/java && -f $home/release ]] || continue
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    if [[ -n $version ]] && (( version >= 21 )); then
      echo "$home"
      return 0
    fi
  done
  die "Elasticsearch $ES_VERSION needs a JDK 21 or newer; none found in /usr/lib/jvm (set ES_JAVA_HOME)"
}

# install_redis: Debian's redis-server. We start our own, never its service.
install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "redis-server is not installed: install it (Debian: sudo apt-get install -y redis-server) and run again"
  log "installing redis-server with apt-get (log: $LOG_DIR/install-redis.log)"
  run_logged install-redis sh -c 'apt-get update &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server'
  # Where no policy-rc.d forbids it, the package starts its service on 6379.
  if [[ -s /run/redis/redis-server.pid ]] && command -v service >/dev/null; then
    service redis-server stop >>"$LOG_DIR/install-redis.log" 2>&1 || true
  fi
}

# install_promtool: Debian's prometheus package, for its promtool (the alert
# rules' checks). We never run its server.
install_promtool() {
  command -v promtool >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "promtool is not installed: install it (Debian: sudo apt-get install -y prometheus) and run again"
  log "installing prometheus (for promtool) with apt-get (log: $LOG_DIR/install-prometheus.log)"
  run_logged install-prometheus sh -c 'apt-get update &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus'
  # Where no policy-rc.d forbids it, the package starts its service on 9090.
  if command -v service >/dev/null; then
    service prometheus stop >>"$LOG_DIR/install-prometheus.log" 2>&1 || true
  fi
}

# check_alert_rules: deploy/prometheus's configuration and rules parse, and the
# rules' unit tests pass.
check_alert_rules() {
  install_promtool
  log "checking deploy/prometheus with promtool"
  promtool check config deploy/prometheus/prometheus.yml >/dev/null
  promtool test rules deploy/prometheus/alerts.test.yml
}

# The browser tests drive Debian's Chromium with playwright-core (no browser
# download: Playwright's own would fail here) from $TOOLS/browser.
PLAYWRIGHT_VERSION=1.65.1
BROWSER_TOOLS="$TOOLS/browser"

install_browser() {
  if ! command -v chromium >/dev/null; then
    [[ $EUID -eq 0 ]] || die "chromium is not installed: install it (Debian: sudo apt-get install -y chromium) and run again"
    log "installing chromium with apt-get (log: $LOG_DIR/install-chromium.log)"
    run_logged install-chromium sh -c 'apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium'
  fi
  if [[ ! -f $BROWSER_TOOLS/node_modules/playwright-core/package.json ]] ||
     ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$BROWSER_TOOLS/node_modules/playwright-core/package.json"; then
    command -v npm >/dev/null || die "npm is not installed: install Node.js and npm and run again"
    log "installing playwright-core $PLAYWRIGHT_VERSION (log: $LOG_DIR/install-playwright.log)"
    mkdir -p "$BROWSER_TOOLS"
    run_logged install-playwright npm install --prefix "$BROWSER_TOOLS" --no-audit --no-fund --no-save \
      "playwright-core@$PLAYWRIGHT_VERSION"
  fi
}

# ---------------------------------------------------------------- services
# start_NAME starts NAME on this stack's ports; NAME_ready tells it is ready.

# Temporal without a UI port runs headless (the test stack). One partition per
# task queue: a single node gains nothing from four, and a task on a partition
# with no poller waits to be forwarded.
#
# The dev server has one history shard, and each of its queue processors reads
# at most 20 times a second per shard by default: every activity dispatch,
# activity completion and timer then waits for the next read, which put a turn
# on a 50 ms grid (an Update running one activity: 100 ms p50). A production
# cluster spreads that limit over hundreds of shards; one shard needs it raised.
# The rates only cap reads made when there is work, so an idle server stays idle.
TEMPORAL_DYNAMIC_CONFIG=(
  matching.numTaskqueueReadPartitions=1
  matching.numTaskqueueWritePartitions=1
  history.transferProcessorMaxPollRPS=1000
  history.timerProcessorMaxPollRPS=1000
  history.visibilityProcessorMaxPollRPS=1000
  history.outboundProcessorMaxPollRPS=1000
  system.enableActivityEagerExecution=true
)
# SQLite in write-ahead-log mode, synced at checkpoints: a commit survives the
# server process being killed or restarted (its DB file kept), not a power cut
# of the machine; it saves a sync per write (about 2 ms an Update here).
TEMPORAL_SQLITE_PRAGMAS=(journal_mode=wal synchronous=normal)
start_temporal() {
  local ui=(--headless) dynamic=() value
  for value in "${TEMPORAL_DYNAMIC_CONFIG[@]}" ${SUPPORT_TEMPORAL_DYNAMIC_CONFIG:-}; do
    dynamic+=(--dynamic-config-value "$value")
  done
  for value in "${TEMPORAL_SQLITE_PRAGMAS[@]}"; do
    dynamic+=(--sqlite-pragma "$value")
  done
  [[ -n $(port TEMPORAL_UI_PORT) ]] && ui=(--ui-port "$(port TEMPORAL_UI_PORT)")
  log "starting Temporal on 127.0.0.1:$(port TEMPORAL_PORT)"
  spawn temporal "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 \
    --port "$(port TEMPORAL_PORT)" "${ui[@]}" \
    --http-port "$(port TEMPORAL_HTTP_PORT)" --metrics-port "$(port TEMPORAL_METRICS_PORT)" \
    --db-filename "$DATA_DIR/temporal.db" --namespace default --log-level warn \
    "${dynamic[@]}" \
    --search-attribute SupportStatus=Keyword --search-attribute CustomerId=Keyword \
    --search-attribute EscalationReason=Keyword --search-attribute TurnCount=Int
}

# The CLI's own config (file, TEMPORAL_* variables) must not redirect checks.
temporal_cli() { "$TEMPORAL_BIN" "$@" --disable-config-file --disable-config-env; }

temporal_ready() {
  local address
  address="127.0.0.1:$(port TEMPORAL_PORT)"
  temporal_cli operator cluster health --address "$address" | grep -q SERVING &&
    temporal_cli operator search-attribute list --address "$address" --namespace default |
    grep -qw SupportStatus
}

start_elasticsearch() {
  local data="$DATA_DIR/elasticsearch" logs="$LOG_DIR/elasticsearch" java_home as_user=() security=()
  java_home=$(es_java_home)
  # The 9.x integ-test-zip ships x-pack-security; left on, its first start
  # rewrites config/elasticsearch.yml for TLS and passwords. Local is plain HTTP.
  [[ -d $ES_HOME/modules/x-pack-security ]] && security=(-Expack.security.enabled=false)
  mkdir -p "$data" "$logs"
  if [[ $EUID -eq 0 ]]; then
    chown "$ES_USER:" "$data" "$logs"
    as_user=(runuser -u "$ES_USER" --)
  fi
  log "starting Elasticsearch on 127.0.0.1:$(port ES_PORT) (Java: $java_home)"
  spawn elasticsearch env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
    "${as_user[@]}" "$ES_HOME/bin/elasticsearch" \
    -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$(port ES_PORT)" -Etransport.port="$(port ES_TRANSPORT_PORT)" \
    -Epath.data="$data" -Epath.logs="$logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false "${security[@]}"
}

# This distribution answers GET / with 405: ask for the cluster health.
elasticsearch_ready() {
  curl -fsS "http://127.0.0.1:$(port ES_PORT)/_cluster/health" | grep -Eq '"status":"(green|yellow)"'
}

start_redis() {
  mkdir -p "$DATA_DIR/redis"
  log "starting Redis on 127.0.0.1:$(port REDIS_PORT)"
  spawn redis redis-server --port "$(port REDIS_PORT)" --bind 127.0.0.1 \
    --dir "$DATA_DIR/redis" --appendonly yes --save '' --daemonize no
}

redis_ready() { [[ $(redis-cli -p "$(port REDIS_PORT)" ping) == PONG ]]; }

# The main stack's worker (deploy/local/run; deploy/local/eval bench models
# swaps it for one with other model settings). Variables set when it starts
# reach it.
# The worker's own settings (KEY=VALUE lines, e.g. SUPPORT_PROMPT_VERSIONS,
# which the canary command's --apply writes) are read from
# $LOCAL/worker.env when it exists; the environment wins over the file.
# JVM options of the worker and the API (SUPPORT_JAVA_OPTS, none by default: ZGC
# instead of G1 measured no better on the turn, docs/results.md).
read -r -a SERVICE_JAVA_OPTS <<<"${SUPPORT_JAVA_OPTS:-}"

start_worker() {
  local settings="$LOCAL/worker.env" line key
  local -a extra=()
  if [[ -f $settings ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
      line=${line#export }
      key=${line%%=*}
      [[ $line == *=* && $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
      [[ -n ${!key+x} ]] && continue  # set in the environment: that wins
      extra+=("$line")
    done <"$settings"
    # names only: the file may hold provider keys
    log "worker settings from $settings: ${extra[*]%%=*}"
  fi
  log "starting the worker (metrics and health on :$SUPPORT_WORKER_PORT)"
  spawn worker env "${extra[@]}" java "${SERVICE_JAVA_OPTS[@]}" -jar "$(deployed_jar worker)"
}

worker_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$SUPPORT_WORKER_PORT/healthz"; }

# plan_services NAME...: say "reusing" for ours that are alive, fail fast
# when a port of another is taken, and list the others in TO_START.
plan_services() {
  local svc
  TO_START=()
  for svc in "$@"; do
    reuse_or_check "$svc" || TO_START+=("$svc")
  done
}

needs_start() { [[ " ${TO_START[*]} " == *" $1 "* ]]; }

# start_backing_services: install and start those of Temporal, Elasticsearch
# and Redis that plan_services listed, in parallel, then wait for each.
start_backing_services() {
  local svc todo=()
  for svc in temporal elasticsearch redis; do
    needs_start "$svc" && todo+=("$svc")
  done
  for svc in "${todo[@]}"; do "install_$svc"; done
  for svc in "${todo[@]}"; do "start_$svc"; done
  for svc in "${todo[@]}"; do wait_ready "$svc"; done
}

# ---------------------------------------------------------------- keys

KEYS_FILE="$LOCAL/keys.env"

# ensure_keys: create the three demo API keys once (raw keys, mode 600).
ensure_keys() {
  [[ -s $KEYS_FILE ]] && return 0
  mkdir -p "$LOCAL"
  log "generating demo API keys in $KEYS_FILE"
  (
    umask 077
    printf 'CUSTOMER_APP_KEY=%s\nAGENT_KEY=%s\nADMIN_KEY=%s\n' \
      "$(random_key ca)" "$(random_key ag)" "$(random_key ad)" >"$KEYS_FILE.tmp"
  )
  mv "$KEYS_FILE.tmp" "$KEYS_FILE"
  chmod 600 "$KEYS_FILE"
}

random_key() { printf '%s_%s' "$1" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }

# load_keys: CUSTOMER_APP_KEY, AGENT_KEY, ADMIN_KEY as shell variables, not
# exported (even when the caller's environment had them exported).
load_keys() {
  [[ -s $KEYS_FILE ]] || die "$KEYS_FILE is missing: run deploy/local/run once"
  # shellcheck source=/dev/null
  source "$KEYS_FILE"
  export -n CUSTOMER_APP_KEY AGENT_KEY ADMIN_KEY
}

key_hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# ---------------------------------------------------------------- Java build

# The jar each runnable module builds.
declare -gA JARS=(
  [worker]=worker/target/support-worker.jar
  [api]=api/target/support-api.jar
  [evaluation]=evaluation/target/support-evaluation.jar
)

# deployed_jar MODULE: a copy of MODULE's jar under this stack's app/ folder,
# refreshed when the build is newer. Processes run from the copy, so a later
# build (deploy/local/test runs mvn verify) never rewrites a jar in use.
deployed_jar() {
  local src="$ROOT/${JARS[$1]}" dst
  dst="$STACK_DIR/app/$(basename "${JARS[$1]}")"
  mkdir -p "$STACK_DIR/app"
  if [[ ! -f $dst || $src -nt $dst ]]; then
    cp "$src" "$dst.tmp" && mv -f "$dst.tmp" "$dst"
  fi
  echo "$dst"
}

# jar_stale MODULE: prints why MODULE's jar needs a build; false when it is
# newer than every source file and pom of the checkout.
jar_stale() {
  local jar="$ROOT/${JARS[$1]}"
  if [[ ! -f $jar ]]; then
    echo "${JARS[$1]} is missing"
  elif [[ -n $(find "$ROOT" \( -path "$ROOT/.local" -o -name node_modules -o -name target \) -prune \
    -o \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$jar" -print -quit) ]]; then
    echo "sources changed since ${JARS[$1]} was built"
  else
    return 1
  fi
}

# build_jars MODULE...: mvn package those modules (and what they depend on)
# when one of their jars is missing or older than the sources.
build_jars() {
  local module why=""
  for module in "$@"; do
    why=$(jar_stale "$module") && break
  done
  [[ -n $why ]] || return 0
  log "building $* ($why; log: $LOG_DIR/build.log)"
  (cd "$ROOT" && run_logged build mvn -B -q -ntp -DskipTests package -pl "$(IFS=,; echo "$*")" -am)
}
