#!/usr/bin/env bash
# Starts the one-node Slurm of ../shared/slurm/start.sh, after dropping the pid files that no longer name its daemons.
# start.sh trusts /run/slurmctld.pid and friends: on a machine whose earlier daemons died without removing them, a file
# can name a live process that is not the daemon (its pid reused), and then that daemon is never started: slurmd then
# logs "Unable to contact slurm controller (connect failure)" and start.sh ends with "slurm did not come up" (CI, 2 Dec).
set -euo pipefail
for entry in /run/slurmctld.pid:slurmctld /run/slurmd.pid:slurmd /run/munge/munged.pid:munged; do
  file=${entry%%:*} daemon=${entry##*:}
  [[ -f $file ]] || continue
  read -r stat comm < <(ps -o stat=,comm= -p "$(cat "$file")" 2>/dev/null) || true
  if [[ ${comm:-} != "$daemon" ]]; then echo "slurm_up: $file names no $daemon (a stale pid file): removed" >&2; rm -f "$file"
  elif [[ ${stat:-} == [TZ]* ]]; then echo "slurm_up: $daemon (pid $(cat "$file")) is stopped: killed" >&2; kill -9 "$(cat "$file")"; rm -f "$file"
  fi
done
exec bash "$(dirname "$0")/../../shared/slurm/start.sh"
