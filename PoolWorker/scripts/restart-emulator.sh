#!/bin/sh
# Starts the QdrantEmulator (stopping the one whose pid is in PIDFILE first, if any) and returns once it listens.
# Usage: restart-emulator.sh PIDFILE LOGFILE path/to/QdrantEmulator.dll --grpc-port 6334 --storage-path DIR [--api-key KEY]
# The benchmark's recovery scenario runs it as --restart-command: same port, same data, a new process.
set -eu
pidfile=$1
log=$2
shift 2
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
fi
: > "$log"
nohup dotnet "$@" > "$log" 2>&1 &
echo $! > "$pidfile"
tries=0
until grep -q "gRPC listening" "$log"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 1200 ]; then
    echo "The emulator did not start within 60 s; see $log" >&2
    exit 1
  fi
  sleep 0.05
done
