# Run inside the sandbox: prints the pids and the memory limit (KiB, as
# `ulimit -d` does) the command runs under, one per line: its run cgroup's
# when it has one, else ulimit -u and -d (docs/limits.md).
while IFS=: read -r _ controllers path; do
  case "$path" in */safe-sh-*) ;; *) continue ;; esac
  case ",$controllers," in
    *,pids,*) pids=$(cat "/sys/fs/cgroup/pids$path/pids.max") ;;
    *,memory,*) memory=$(($(cat "/sys/fs/cgroup/memory$path/memory.limit_in_bytes") / 1024)) ;;
    ,,)
      for root in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        [ -f "$root$path/pids.max" ] && pids=$(cat "$root$path/pids.max")
        [ -f "$root$path/memory.max" ] && memory=$(($(cat "$root$path/memory.max") / 1024))
      done
      ;;
  esac
done </proc/self/cgroup
echo "${pids:-$(ulimit -u)}"
echo "${memory:-$(ulimit -d)}"
