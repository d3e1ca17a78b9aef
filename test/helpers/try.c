/* try: attempts exactly one operation and reports how the kernel answered.
 * Prints "OK" and exits 0, or prints the errno name (e.g. "EPERM") and exits 1.
 * Usage errors exit 2. Built by test/helpers/build.ts; used by test/sandbox. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

static int report(int rc) {
  if (rc == 0) {
    puts("OK");
    return 0;
  }
  const char *name = strerrorname_np(errno);
  if (name) puts(name);
  else printf("E%d\n", errno);
  return 1;
}

/* Runs `call` and reports its errno when it returned -1. */
#define TRY(call) report((call) == -1 ? -1 : 0)

static int usage(const char *why) {
  fprintf(stderr, "try: %s\n", why);
  return 2;
}

static int do_write(const char *path) {
  int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return report(-1);
  int rc = write(fd, "x", 1) == 1 ? 0 : -1;
  close(fd);
  return report(rc);
}

static int do_create(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return report(-1);
  close(fd);
  return report(0);
}

static int do_read(const char *path) {
  char buf[256];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return report(-1);
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return report(n < 0 ? -1 : 0);
}

/* Fills a sockaddr from a numeric IPv4 or IPv6 address. */
static socklen_t inet_address(const char *host, const char *port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)atoi(port));
    return sizeof *v4;
  }
  if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)atoi(port));
    return sizeof *v6;
  }
  return 0;
}

static int do_inet(const char *host, const char *port, int type) {
  struct sockaddr_storage ss;
  socklen_t len = inet_address(host, port, &ss);
  if (len == 0) return usage("HOST must be a numeric IPv4 or IPv6 address");
  int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return report(-1);
  int rc;
  if (type == SOCK_STREAM) rc = connect(fd, (struct sockaddr *)&ss, len);
  else rc = sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len) == 1 ? 0 : -1;
  return report(rc);
}

/* Connects to a Unix socket; abstract names get the leading NUL. */
static int do_unix(const char *name, int abstract) {
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  size_t n = strlen(name);
  if (n + 1 >= sizeof sun.sun_path) return usage("socket name too long");
  memcpy(sun.sun_path + (abstract ? 1 : 0), name, n);
  /* n + 1: the pathname's trailing NUL, or the abstract name's leading one. */
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return report(-1);
  return TRY(connect(fd, (struct sockaddr *)&sun, len));
}

/* Listens on an abstract name, prints READY, then waits to be killed; the
 * peer the tests connect to (Node pads abstract names to 108 bytes). */
static int do_abstract_listen(const char *name) {
  struct sockaddr_un sun;
  memset(&sun, 0, sizeof sun);
  sun.sun_family = AF_UNIX;
  size_t n = strlen(name);
  if (n + 1 >= sizeof sun.sun_path) return usage("socket name too long");
  memcpy(sun.sun_path + 1, name, n);
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) == -1 || listen(fd, 8) == -1) return report(-1);
  puts("READY");
  for (;;) {
    int peer = accept(fd, NULL, NULL);
    if (peer >= 0) close(peer);
  }
}

static int do_ptrace_attach(pid_t pid) {
  if (ptrace(PTRACE_ATTACH, pid, 0, 0) == -1) return report(-1);
  waitpid(pid, NULL, __WALL);
  ptrace(PTRACE_DETACH, pid, 0, 0);
  return report(0);
}

static int do_io_uring(void) {
  struct io_uring_params params;
  memset(&params, 0, sizeof params);
  long fd = syscall(SYS_io_uring_setup, 1, &params);
  if (fd >= 0) close((int)fd);
  return report(fd < 0 ? -1 : 0);
}

static int do_keyctl_read(void) {
  char buf[256];
  return TRY(syscall(SYS_keyctl, KEYCTL_READ, KEY_SPEC_USER_KEYRING, buf, sizeof buf, 0));
}

/* Adds to the process keyring, which dies with this process: nothing persists. */
static int do_add_key(void) {
  return TRY(syscall(SYS_add_key, "user", "safe-sh-try", "x", 1, KEY_SPEC_PROCESS_KEYRING));
}

static int do_mount(const char *dir) {
  if (mount("safe-sh-try", dir, "tmpfs", 0, NULL) == -1) return report(-1);
  umount2(dir, MNT_DETACH);
  return report(0);
}

static int do_socketpair(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) return report(-1);
  char c = 0;
  int rc = (write(sv[0], "x", 1) == 1 && read(sv[1], &c, 1) == 1 && c == 'x') ? 0 : -1;
  close(sv[0]);
  close(sv[1]);
  return report(rc);
}

/* Forks up to `count` children that wait to be killed; prints how many it
 * got, then reports how the last fork answered. All children are killed. */
static int do_fork_many(int count) {
  pid_t *kids = calloc((size_t)count, sizeof *kids);
  int made = 0, rc = 0;
  for (; made < count; ++made) {
    pid_t pid = fork();
    if (pid == 0) {
      pause();
      _exit(0);
    }
    if (pid < 0) {
      rc = -1;
      break;
    }
    kids[made] = pid;
  }
  int saved = errno;
  printf("%d\n", made);
  for (int i = 0; i < made; ++i) kill(kids[i], SIGKILL);
  for (int i = 0; i < made; ++i) waitpid(kids[i], NULL, 0);
  free(kids);
  errno = saved;
  return report(rc);
}

/* A minimal POSIX ACL granting `uid` read (user::rw-, user:uid:r--,
 * group::r--, mask::r--, other::r--): what setfacl -m u:UID:r writes. */
static int do_setacl(const char *path, const char *uid) {
  struct {
    uint16_t tag, perm;
    uint32_t id;
  } entries[5] = {{0x01, 6, ~0U}, {0x02, 4, (uint32_t)atoi(uid)}, {0x04, 4, ~0U}, {0x10, 4, ~0U}, {0x20, 4, ~0U}};
  char value[4 + sizeof entries];
  uint32_t version = 2;
  memcpy(value, &version, 4);
  memcpy(value + 4, entries, sizeof entries);
  return TRY(setxattr(path, "system.posix_acl_access", value, sizeof value, 0));
}

static int do_utimes(const char *path) {
  struct timespec times[2] = {{978307200, 0}, {978307200, 0}}; /* 2001-01-01 */
  return TRY(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW));
}

/* Opens read-only, then changes the mode through the fd: a descriptor
 * opened before any check must not carry the change past the mount. */
static int do_fchmod(const char *path, const char *mode) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return report(-1);
  int rc = fchmod(fd, (mode_t)strtol(mode, NULL, 8));
  return report(rc);
}

#if defined(__x86_64__)
/* An i386 system call through the legacy gate. Returns the raw result
 * (-errno on failure); a filter that kills on arch mismatch never returns. */
static long int80(long nr, long a, long b) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
  return ret;
}

static int report_raw(long ret) {
  if (ret < 0 && ret > -4096) {
    errno = (int)-ret;
    return report(-1);
  }
  return report(0);
}

static int do_int80_getpid(void) { return report_raw(int80(20 /* i386 getpid */, 0, 0)); }

/* socketcall(SYS_SOCKET, {AF_INET, SOCK_STREAM, 0}): the 32-bit multiplexer
 * seccomp can't inspect. Its args must sit below 4 GiB for the 32-bit ABI. */
static int do_int80_socketcall(void) {
  uint32_t *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (args == MAP_FAILED) return report(-1);
  args[0] = AF_INET;
  args[1] = SOCK_STREAM;
  args[2] = 0;
  long ret = int80(102 /* i386 socketcall */, 1 /* SYS_SOCKET */, (long)(uintptr_t)args);
  if (ret >= 0) close((int)ret);
  return report_raw(ret);
}
#endif

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 2) return usage("usage: try SUBCOMMAND [ARGS...]");
  const char *cmd = argv[1];
  const char *a = argc > 2 ? argv[2] : NULL;
  const char *b = argc > 3 ? argv[3] : NULL;
#define NEED(n) \
  if (argc < 2 + (n)) return usage("missing arguments for this subcommand")

  if (!strcmp(cmd, "write")) { NEED(1); return do_write(a); }
  if (!strcmp(cmd, "create")) { NEED(1); return do_create(a); }
  if (!strcmp(cmd, "mkdir")) { NEED(1); return TRY(mkdir(a, 0755)); }
  if (!strcmp(cmd, "rename")) { NEED(2); return TRY(rename(a, b)); }
  if (!strcmp(cmd, "link")) { NEED(2); return TRY(link(a, b)); }
  if (!strcmp(cmd, "symlink")) { NEED(2); return TRY(symlink(a, b)); }
  if (!strcmp(cmd, "truncate")) { NEED(1); return TRY(truncate(a, 0)); }
  if (!strcmp(cmd, "unlink")) { NEED(1); return TRY(unlink(a)); }
  if (!strcmp(cmd, "read")) { NEED(1); return do_read(a); }
  if (!strcmp(cmd, "chmod")) { NEED(2); return TRY(chmod(a, (mode_t)strtol(b, NULL, 8))); }
  if (!strcmp(cmd, "fchmod")) { NEED(2); return do_fchmod(a, b); }
  if (!strcmp(cmd, "chown")) { NEED(2); return TRY(lchown(a, (uid_t)atoi(b), (gid_t)-1)); }
  if (!strcmp(cmd, "utimes")) { NEED(1); return do_utimes(a); }
  if (!strcmp(cmd, "setxattr")) { NEED(1); return TRY(setxattr(a, "user.safe_sh_try", "x", 1, 0)); }
  if (!strcmp(cmd, "removexattr")) { NEED(1); return TRY(removexattr(a, "user.safe_sh_try")); }
  if (!strcmp(cmd, "setacl")) { NEED(2); return do_setacl(a, b); }
  if (!strcmp(cmd, "mknod")) { NEED(1); return TRY(mknod(a, S_IFIFO | 0644, 0)); }
  if (!strcmp(cmd, "rmdir")) { NEED(1); return TRY(rmdir(a)); }
  if (!strcmp(cmd, "tcp-connect")) { NEED(2); return do_inet(a, b, SOCK_STREAM); }
  if (!strcmp(cmd, "udp-send")) { NEED(2); return do_inet(a, b, SOCK_DGRAM); }
  if (!strcmp(cmd, "unix-connect")) { NEED(1); return do_unix(a, 0); }
  if (!strcmp(cmd, "abstract-connect")) { NEED(1); return do_unix(a, 1); }
  if (!strcmp(cmd, "abstract-listen")) { NEED(1); return do_abstract_listen(a); }
  if (!strcmp(cmd, "kill")) { NEED(2); return TRY(kill(atoi(a), atoi(b))); }
  if (!strcmp(cmd, "ptrace-attach")) { NEED(1); return do_ptrace_attach(atoi(a)); }
  if (!strcmp(cmd, "environ")) {
    NEED(1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", atoi(a));
    return do_read(path);
  }
  if (!strcmp(cmd, "io-uring")) return do_io_uring();
  if (!strcmp(cmd, "keyctl-read")) return do_keyctl_read();
  if (!strcmp(cmd, "add-key")) return do_add_key();
  if (!strcmp(cmd, "tiocsti")) return TRY(ioctl(0, TIOCSTI, "x"));
  if (!strcmp(cmd, "unshare-user")) return TRY(unshare(CLONE_NEWUSER));
  if (!strcmp(cmd, "mount")) { NEED(1); return do_mount(a); }
  if (!strcmp(cmd, "socketpair")) return do_socketpair();
  if (!strcmp(cmd, "fork-many")) { NEED(1); return do_fork_many(atoi(a)); }
#if defined(__x86_64__)
  /* getpid by its x32 number: the x32 ABI bit seccomp filters must refuse. */
  if (!strcmp(cmd, "x32-getpid")) return TRY(syscall(0x40000000 | SYS_getpid));
  if (!strcmp(cmd, "int80-getpid")) return do_int80_getpid();
  if (!strcmp(cmd, "int80-socketcall")) return do_int80_socketcall();
#endif
  return usage("unknown subcommand");
}
