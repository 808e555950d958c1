# Shared PostgreSQL helpers for run.sh and test.sh (sourced, not executed).
# Finds the server binaries, installing Debian's postgresql package when they are missing and we are root,
# and runs server commands as the `postgres` user when invoked as root (PostgreSQL refuses to run as root).

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "PostgreSQL server binaries not found; installing the postgresql package..." >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
      dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    else
      echo "PostgreSQL server binaries not found: install the postgresql package or set a connection string." >&2
      return 1
    fi
  fi
  echo "$dir"
}

# Runs a command as the postgres user when we are root, else as ourselves.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Makes a directory the server may own: as root, hand it to postgres.
pg_own_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$1"; fi
}
