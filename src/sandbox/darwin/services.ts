// The system services a shell, git, compilers, Node, Python, Go and Rust need
// under (deny default): mach services and sysctls, each with the reason it is
// there. Everything not listed stays denied; LaunchServices in particular,
// since `open -a` through it would start an app outside the sandbox.

/** Mach services looked up by name; [name, why]. */
export const MACH_SERVICES: ReadonlyArray<readonly [string, string]> = [
  ["com.apple.system.opendirectoryd.libinfo", "getpwuid/getgrgid: whoami, git, ssh, Python's pwd"],
  ["com.apple.system.opendirectoryd.membership", "group membership checks (access(2) helpers, id)"],
  ["com.apple.system.logger", "asl/syslog clients"],
  ["com.apple.logd", "os_log from system libraries"],
  ["com.apple.diagnosticd", "os_log activity tracing in system libraries"],
  ["com.apple.system.notification_center", "notify(3): time zone and DNS change notices in libc"],
  ["com.apple.bsd.dirhelper", "confstr(_CS_DARWIN_USER_TEMP_DIR): clang, swift, Xcode tools"],
  ["com.apple.cfprefsd.daemon", "CFPreferences reads (read-only preferences)"],
  ["com.apple.cfprefsd.agent", "CFPreferences reads (read-only preferences)"],
  ["com.apple.trustd", "TLS certificate evaluation: Go, Rust (security-framework), curl, git"],
  ["com.apple.trustd.agent", "TLS certificate evaluation (per-user trust settings)"],
  ["com.apple.SecurityServer", "Security.framework: system roots for Go's crypto/x509 and Rust"],
  ["com.apple.securityd.xpc", "Security.framework on recent macOS"],
  ["com.apple.ocspd", "certificate revocation checks during TLS evaluation"],
  ["com.apple.SystemConfiguration.configd", "system-configuration crate (uv/uvx), proxy and DNS settings"],
  ["com.apple.SystemConfiguration.DNSConfiguration", "libresolv's DNS configuration (dns_configuration_copy)"],
];

/** Mach services only when the network is not "none": name resolution. */
export const NETWORK_MACH_SERVICES: ReadonlyArray<readonly [string, string]> = [
  ["com.apple.dnssd.service", "DNS-SD / getaddrinfo through mDNSResponder"],
  ["com.apple.SystemConfiguration.SCNetworkReachability", "reachability checks before connecting"],
  ["com.apple.networkd", "Network.framework (URLSession clients)"],
  ["com.apple.nehelper", "Network.framework policy lookups"],
  ["com.apple.nesessionmanager.content-filter", "Network.framework content-filter checks"],
  ["com.apple.symptomsd", "Network.framework connection reporting"],
];

/** sysctls readable by exact name. */
export const SYSCTL_NAMES: readonly string[] = [
  "hw.activecpu", "hw.busfrequency_compat", "hw.byteorder", "hw.cacheconfig", "hw.cachelinesize_compat",
  "hw.cpufamily", "hw.cpufrequency", "hw.cpufrequency_compat", "hw.cputype", "hw.cpusubtype",
  "hw.l1dcachesize_compat", "hw.l1icachesize_compat", "hw.l2cachesize_compat", "hw.l3cachesize_compat",
  "hw.logicalcpu", "hw.logicalcpu_max", "hw.machine", "hw.memsize", "hw.model", "hw.ncpu", "hw.nperflevels",
  "hw.packages", "hw.pagesize", "hw.pagesize_compat", "hw.physicalcpu", "hw.physicalcpu_max",
  "hw.tbfrequency_compat", "hw.vectorunit",
  "kern.argmax", "kern.boottime", "kern.hostname", "kern.maxfiles", "kern.maxfilesperproc", "kern.maxproc",
  "kern.ngroups", "kern.osproductversion", "kern.osrelease", "kern.ostype", "kern.osvariant_status",
  "kern.osversion", "kern.secure_kernel", "kern.usrstack64", "kern.version",
  "sysctl.proc_cputype", "sysctl.proc_native", "sysctl.proc_translated",
  "vm.loadavg", "vm.pagesize", "security.mac.lockdown_mode_state",
];

/**
 * sysctls readable by prefix: CPU features the Node, Go and Rust runtimes
 * probe. Not kern.proc.*: it would list every process of the user.
 */
export const SYSCTL_PREFIXES: readonly string[] = ["hw.optional.", "hw.perflevel", "machdep.cpu."];
