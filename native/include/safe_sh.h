/* C API of the safe-sh native core, for packagers embedding it in other
 * runtimes. The launcher (safe-sh-exec) is the supported way to confine a
 * process; this header exposes what a host needs to decide whether it can. */
#ifndef SAFE_SH_H
#define SAFE_SH_H

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
int safe_sh_probe(struct safe_sh_probe* out);

/* "0.1.0" */
const char* safe_sh_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SAFE_SH_H */
