/* C API of the safe-sh native core (libsafe_sh, static and shared), for
 * embedding it in other runtimes: probe the kernel, build a plan, spawn a
 * command confined by the launcher (safe-sh-exec) with pipes, wait, kill.
 * Decisions (what to allow) stay with the caller; this applies a plan. */
#ifndef SAFE_SH_H
#define SAFE_SH_H

#if defined(__GNUC__)
#define SAFE_SH_API __attribute__((visibility("default")))
#else
#define SAFE_SH_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct safe_sh_probe {
  int landlock_abi;      /* 0 when Landlock is unavailable */
  int landlock_errno;    /* why it is unavailable (ENOSYS, EOPNOTSUPP) */
  int seccomp;           /* 1 when seccomp filters can be installed */
  int user_namespaces;   /* 1 when an unprivileged user namespace can be made */
  int userns_errno;
  int net_namespaces;    /* 1 when user + net namespaces can be made */
  int netns_errno;
};

/* Fills *out with what this kernel enforces; returns 0. Forks briefly to try
 * unshare(2) in a throw-away child. */
SAFE_SH_API int safe_sh_probe(struct safe_sh_probe* out);

/* "0.1.0" */
SAFE_SH_API const char* safe_sh_version(void);

/* --- Plans ---------------------------------------------------------------
 * A plan starts as: the whole filesystem readable, `workspace` writable and
 * the working directory, user/mount/pid namespaces with a private /tmp, no
 * network, the standard devices (/dev/null, /dev/zero, /dev/full,
 * /dev/random, /dev/urandom) usable, and an empty environment.
 * Functions returning int return 0, or an errno value (EINVAL: a NULL or
 * relative path, a variable without '='; ENOMEM). */

struct safe_sh_plan;

enum safe_sh_network {
  SAFE_SH_NETWORK_NONE = 0, /* an empty network namespace; sockets refused */
  SAFE_SH_NETWORK_FULL = 1  /* the host's network */
};

/* NULL on a NULL or relative workspace, or when out of memory. */
SAFE_SH_API struct safe_sh_plan* safe_sh_plan_new(const char* workspace);
SAFE_SH_API void safe_sh_plan_free(struct safe_sh_plan* plan);
/* Another directory the command may write beneath. */
SAFE_SH_API int safe_sh_plan_add_writable(struct safe_sh_plan* plan, const char* path);
/* Read-only even inside a writable root (it must exist). */
SAFE_SH_API int safe_sh_plan_add_protected(struct safe_sh_plan* plan, const char* path);
/* Unreadable and unlistable. */
SAFE_SH_API int safe_sh_plan_add_mask(struct safe_sh_plan* plan, const char* path);
SAFE_SH_API int safe_sh_plan_set_network(struct safe_sh_plan* plan, enum safe_sh_network network);
/* "NAME=value", added to the command's (otherwise empty) environment. */
SAFE_SH_API int safe_sh_plan_set_env(struct safe_sh_plan* plan, const char* name_value);

/* --- Running ------------------------------------------------------------- */

struct safe_sh_child {
  int pid;       /* the launcher's; its pid namespace holds the command */
  int stdin_fd;  /* write end; close it to send EOF */
  int stdout_fd; /* read ends; blocking, close-on-exec */
  int stderr_fd;
};

/* Starts `argv` (argv[0] looked up on the plan's PATH, else the launcher's
 * default) confined by `plan`, through the launcher at `launcher` (an absolute
 * path to safe-sh-exec), in a new session, with all three streams piped.
 * Returns 0 and fills *child, or an errno value (nothing started). The
 * launcher exits 125 when it cannot apply the plan, 126/127 when the command
 * can't be executed / found; otherwise with the command's status. */
SAFE_SH_API int safe_sh_spawn(const struct safe_sh_plan* plan, const char* launcher, const char* const* argv,
                  struct safe_sh_child* child);
/* Blocks until the launcher exits; *wait_status as from waitpid(2). Closes
 * none of the pipes. Returns 0 or an errno value. */
SAFE_SH_API int safe_sh_wait(struct safe_sh_child* child, int* wait_status);
/* Sends `sig` to the launcher. SIGKILL ends the whole tree: the pid
 * namespace's init gets a parent-death signal, and every process in the
 * namespace dies with it. */
SAFE_SH_API int safe_sh_kill(const struct safe_sh_child* child, int sig);
/* Closes the pipes still open (after safe_sh_wait). */
SAFE_SH_API void safe_sh_child_close(struct safe_sh_child* child);

#ifdef __cplusplus
}
#endif

#endif /* SAFE_SH_H */
