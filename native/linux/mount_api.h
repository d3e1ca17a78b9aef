// New mount API (Linux 5.2: fsopen/fsmount/open_tree/move_mount; 5.12:
// mount_setattr), vendored: glibc 2.36's <sys/mount.h> and <linux/mount.h>
// conflict, and older headers lack mount_setattr.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace safe_sh::linux_mnt {

constexpr unsigned kFsopenCloexec = 0x1;
constexpr unsigned kFsconfigSetString = 1;
constexpr unsigned kFsconfigCmdCreate = 6;
constexpr unsigned kFsmountCloexec = 0x1;
constexpr unsigned kOpenTreeClone = 0x1;
constexpr unsigned kOpenTreeCloexec = 02000000;  // O_CLOEXEC
constexpr unsigned kMoveMountFEmptyPath = 0x4;
constexpr unsigned kMoveMountTEmptyPath = 0x40;
constexpr unsigned kAtRecursive = 0x8000;
constexpr unsigned kAtEmptyPath = 0x1000;
constexpr unsigned kAtSymlinkNofollow = 0x100;

constexpr uint64_t kMountAttrRdonly = 0x1;
constexpr uint64_t kMountAttrNosuid = 0x2;
constexpr uint64_t kMountAttrNodev = 0x4;
constexpr uint64_t kMountAttrNoexec = 0x8;

struct MountAttr {
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};

inline int sys_fsopen(const char* fs, unsigned flags) { return static_cast<int>(syscall(SYS_fsopen, fs, flags)); }
inline int sys_fsconfig(int fd, unsigned cmd, const char* key, const char* value, int aux) {
  return static_cast<int>(syscall(SYS_fsconfig, fd, cmd, key, value, aux));
}
inline int sys_fsmount(int fd, unsigned flags, unsigned attrs) { return static_cast<int>(syscall(SYS_fsmount, fd, flags, attrs)); }
inline int sys_open_tree(int dirfd, const char* path, unsigned flags) {
  return static_cast<int>(syscall(SYS_open_tree, dirfd, path, flags));
}
inline int sys_move_mount(int from_dirfd, const char* from, int to_dirfd, const char* to, unsigned flags) {
  return static_cast<int>(syscall(SYS_move_mount, from_dirfd, from, to_dirfd, to, flags));
}
inline int sys_mount_setattr(int dirfd, const char* path, unsigned flags, MountAttr* attr) {
  return static_cast<int>(syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(MountAttr)));
}

}  // namespace safe_sh::linux_mnt
