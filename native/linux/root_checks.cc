// Filesystem types by statfs(2) magic; devtmpfs reports tmpfs's magic, so a
// tmpfs is told apart by its type in /proc/self/mountinfo (the mount id from
// /proc/self/fdinfo: musl, which the prebuilt launcher uses, has no statx).
#include "root_checks.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace safe_sh::linux_chk {

namespace {

struct PseudoFs {
  unsigned long magic;
  const char* name;
};

// Filesystems whose "files" are kernel or device interfaces.
const PseudoFs kPseudo[] = {
    {PROC_SUPER_MAGIC, "proc"},        {SYSFS_MAGIC, "sysfs"},
    {CGROUP_SUPER_MAGIC, "cgroup"},    {CGROUP2_SUPER_MAGIC, "cgroup2"},
    {DEBUGFS_MAGIC, "debugfs"},        {TRACEFS_MAGIC, "tracefs"},
    {SECURITYFS_MAGIC, "securityfs"},  {BPF_FS_MAGIC, "bpf"},
    {DEVPTS_SUPER_MAGIC, "devpts"},    {PSTOREFS_MAGIC, "pstore"},
    {EFIVARFS_MAGIC, "efivarfs"},      {SELINUX_MAGIC, "selinuxfs"},
    {SMACK_MAGIC, "smackfs"},          {BINFMTFS_MAGIC, "binfmt_misc"},
    {NSFS_MAGIC, "nsfs"},              {0x62656570UL, "configfs"},
    {0x65735543UL, "fusectl"},         {0x19800202UL, "mqueue"},
    {0x7655821UL, "resctrl"},          {HUGETLBFS_MAGIC, "hugetlbfs"},
};

// The filesystem type of the mount PATH is on, from /proc/self/mountinfo
// ("ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS] - TYPE SOURCE SUPER").
unsigned long long mount_id(const std::string& path) {
  int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return 0;
  std::ifstream fdinfo("/proc/self/fdinfo/" + std::to_string(fd));
  std::string line;
  unsigned long long id = 0;
  while (std::getline(fdinfo, line))
    if (line.compare(0, 7, "mnt_id:") == 0) id = std::strtoull(line.c_str() + 7, nullptr, 10);
  close(fd);
  return id;
}

std::string mount_type(const std::string& path) {
  unsigned long long wanted = mount_id(path);
  if (wanted == 0) return "";
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line)) {
    std::istringstream fields(line);
    unsigned long long id = 0;
    if (!(fields >> id) || id != wanted) continue;
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) return "";
    std::istringstream tail(line.substr(dash + 3));
    std::string type;
    tail >> type;
    return type;
  }
  return "";
}

}  // namespace

Status check_write_root(const std::string& path) {
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) return Status::failure(errno, "statfs", path);
  for (const PseudoFs& pseudo : kPseudo)
    if (static_cast<unsigned long>(fs.f_type) == pseudo.magic)
      return Status::failure(EPERM, "statfs", path + " is on " + pseudo.name + ", a pseudo-filesystem");
  if (static_cast<unsigned long>(fs.f_type) == TMPFS_MAGIC && mount_type(path) == "devtmpfs")
    return Status::failure(EPERM, "statfs", path + " is on devtmpfs, a pseudo-filesystem");
  return Status::success();
}

Status check_device(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::failure(errno, "stat", path);
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) return Status::failure(ENODEV, "stat", path + " is not a character or block device");
  return Status::success();
}

}  // namespace safe_sh::linux_chk
