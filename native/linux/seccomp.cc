// seccomp-BPF filter. Order matters: the architecture is checked first and a
// mismatch kills the process (an i386 `int 0x80` otherwise reaches syscalls by
// their 32-bit numbers, measured on this kernel), x32 numbers are refused,
// then each denied call returns EPERM. Arguments are compared as their low 32
// bits (CVE-2019-7303: a 64-bit compare of ioctl's cmd is bypassable).
#include "seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace safe_sh::linux_sc {

namespace {

#if defined(__x86_64__)
constexpr uint32_t kNativeArch = AUDIT_ARCH_X86_64;
constexpr uint32_t kX32SyscallBit = 0x40000000;
#elif defined(__aarch64__)
constexpr uint32_t kNativeArch = AUDIT_ARCH_AARCH64;
#else
#error "safe-sh's seccomp filter supports x86_64 and aarch64"
#endif

constexpr uint32_t kTiocsti = 0x5412;    // inject input into a terminal
constexpr uint32_t kTioclinux = 0x541C;  // VT paste (CVE-2023-1523)

constexpr uint32_t kCloneNewFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                                    CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

// Syscalls answered with EPERM whatever their arguments.
const long kDenied[] = {
    SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_pidfd_getfd,
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
    SYS_keyctl, SYS_add_key, SYS_request_key,
    SYS_bpf, SYS_perf_event_open, SYS_userfaultfd,
    SYS_unshare, SYS_setns,
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_open_tree, SYS_move_mount,
    SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_mount_setattr,
    SYS_kexec_load, SYS_kexec_file_load, SYS_reboot,
    SYS_init_module, SYS_finit_module, SYS_delete_module,
    SYS_open_by_handle_at, SYS_acct, SYS_quotactl, SYS_swapon, SYS_swapoff,
    SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime,
#if defined(__x86_64__)
    SYS_iopl, SYS_ioperm, SYS_modify_ldt, SYS_uselib,
#endif
};

// Values of personality(2) that only query or set harmless flags (Docker's list).
const uint32_t kPersonalityAllowed[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};

constexpr uint32_t offset_nr() { return offsetof(seccomp_data, nr); }
constexpr uint32_t offset_arch() { return offsetof(seccomp_data, arch); }
constexpr uint32_t offset_arg_low(int index) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return offsetof(seccomp_data, args) + 8 * index;
#else
  return offsetof(seccomp_data, args) + 8 * index + 4;
#endif
}

constexpr uint32_t errno_ret(int err) { return SECCOMP_RET_ERRNO | (static_cast<uint32_t>(err) & SECCOMP_RET_DATA); }

class FilterBuilder {
 public:
  void load(uint32_t offset) { emit(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset)); }
  void ret(uint32_t action) { emit(BPF_STMT(BPF_RET | BPF_K, action)); }
  void jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { emit(BPF_JUMP(BPF_JMP | code | BPF_K, k, jt, jf)); }

  // if nr == syscall: return action.
  void deny(long nr, uint32_t action) {
    load(offset_nr());
    jump(BPF_JEQ, static_cast<uint32_t>(nr), 0, 1);
    ret(action);
  }

  // if nr == syscall: return (low32(arg) in values) ? on_match : on_other.
  template <size_t N>
  void arg_in_set(long nr, int arg, const uint32_t (&values)[N], uint32_t on_match, uint32_t on_other) {
    static_assert(N < 250, "jump offsets are 8 bits");
    load(offset_nr());
    jump(BPF_JEQ, static_cast<uint32_t>(nr), 0, N + 3);
    load(offset_arg_low(arg));
    for (size_t i = 0; i < N; ++i) jump(BPF_JEQ, values[i], static_cast<uint8_t>(N - i), 0);
    ret(on_other);
    ret(on_match);
  }

  // if nr == syscall and (low32(arg) & mask) != 0: return action.
  void arg_has_bits(long nr, int arg, uint32_t mask, uint32_t action) {
    load(offset_nr());
    jump(BPF_JEQ, static_cast<uint32_t>(nr), 0, 3);
    load(offset_arg_low(arg));
    jump(BPF_JSET, mask, 0, 1);
    ret(action);
  }

  std::vector<sock_filter> take() { return std::move(program_); }

 private:
  void emit(sock_filter insn) { program_.push_back(insn); }
  std::vector<sock_filter> program_;
};

}  // namespace

std::vector<sock_filter> build_filter(const SocketPolicy& sockets) {
  FilterBuilder b;
  const uint32_t eperm = errno_ret(EPERM);

  b.load(offset_arch());
  b.jump(BPF_JEQ, kNativeArch, 1, 0);
  b.ret(SECCOMP_RET_KILL_PROCESS);
#if defined(__x86_64__)
  b.load(offset_nr());
  b.jump(BPF_JGE, kX32SyscallBit, 0, 1);
  b.ret(eperm);
#endif

  for (long nr : kDenied) b.deny(nr, eperm);
  // clone3 passes its flags in a struct seccomp cannot read; ENOSYS makes
  // glibc, Python and shells fall back to clone, whose flags we can check.
  b.deny(SYS_clone3, errno_ret(ENOSYS));
  b.arg_has_bits(SYS_clone, 0, kCloneNewFlags, eperm);

  const uint32_t terminal_injection[] = {kTiocsti, kTioclinux};
  b.arg_in_set(SYS_ioctl, 1, terminal_injection, eperm, SECCOMP_RET_ALLOW);
  b.arg_in_set(SYS_personality, 0, kPersonalityAllowed, SECCOMP_RET_ALLOW, eperm);

  // socketpair(2) stays allowed: pipes between the sandbox's own processes.
  // AF_INET/AF_INET6 in a net namespace of its own reach only its lo (and
  // with allowlist the bridge); AF_UNIX only once no host socket is reachable.
  if (sockets.inet && sockets.local) {
    const uint32_t families[] = {AF_INET, AF_INET6, AF_UNIX};
    b.arg_in_set(SYS_socket, 0, families, SECCOMP_RET_ALLOW, eperm);
  } else if (sockets.inet) {
    const uint32_t families[] = {AF_INET, AF_INET6};
    b.arg_in_set(SYS_socket, 0, families, SECCOMP_RET_ALLOW, eperm);
  } else if (sockets.local) {
    const uint32_t families[] = {AF_UNIX};
    b.arg_in_set(SYS_socket, 0, families, SECCOMP_RET_ALLOW, eperm);
  } else {
    b.deny(SYS_socket, eperm);
  }
  b.ret(SECCOMP_RET_ALLOW);
  return b.take();
}

Status apply_seccomp(const SocketPolicy& sockets) {
  std::vector<sock_filter> program = build_filter(sockets);
  sock_fprog fprog{static_cast<unsigned short>(program.size()), program.data()};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
    return Status::failure(errno, "seccomp");
  return Status::success();
}

bool seccomp_available() {
  // EINVAL here means the kernel was built without CONFIG_SECCOMP.
  return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
}

}  // namespace safe_sh::linux_sc
