// Checks on the plan's paths that the kernel won't make for us: a write root
// must not be a pseudo-filesystem, a --dev path must be a device node.
#pragma once

#include <string>

#include "../common/status.h"

namespace safe_sh::linux_chk {

// EPERM naming the filesystem type when PATH lives on proc, sysfs, cgroup,
// devtmpfs, debugfs, tracefs, securityfs, bpf, devpts, ... : writing there
// changes the kernel or devices, not files (as root, /proc/sys/* is sysctl).
Status check_write_root(const std::string& path);

// ENODEV unless PATH (followed) is a character or block device.
Status check_device(const std::string& path);

}  // namespace safe_sh::linux_chk
