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
#include <string>

#include "proc_file.h"

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

// The value after "KEY" at the start of a line of TEXT, or "" when no line starts with it.
std::string line_value(const std::string& text, const std::string& key) {
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, key.size(), key) == 0) return text.substr(start + key.size(), end - start - key.size());
    start = end + 1;
  }
  return "";
}

// The id of the mount PATH is on, from /proc/self/fdinfo; 0 when unknown.
unsigned long long mount_id(const std::string& path) {
  int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return 0;
  std::string fdinfo;
  Status status = linux_proc::read_whole_file("/proc/self/fdinfo/" + std::to_string(fd), &fdinfo);
  close(fd);
  return status.ok() ? std::strtoull(line_value(fdinfo, "mnt_id:").c_str(), nullptr, 10) : 0;
}

// The filesystem type of the mount PATH is on, from /proc/self/mountinfo
// ("ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS] - TYPE SOURCE SUPER").
std::string mount_type(const std::string& path) {
  unsigned long long wanted = mount_id(path);
  std::string mountinfo;
  if (wanted == 0 || !linux_proc::read_whole_file("/proc/self/mountinfo", &mountinfo).ok()) return "";
  for (size_t start = 0; start < mountinfo.size();) {
    size_t end = mountinfo.find('\n', start);
    if (end == std::string::npos) end = mountinfo.size();
    const std::string line = mountinfo.substr(start, end - start);
    start = end + 1;
    char* after_id = nullptr;
    if (std::strtoull(line.c_str(), &after_id, 10) != wanted || after_id == line.c_str()) continue;
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) return "";
    size_t type_end = line.find(' ', dash + 3);
    return line.substr(dash + 3, type_end == std::string::npos ? std::string::npos : type_end - dash - 3);
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
