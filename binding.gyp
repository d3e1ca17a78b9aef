{
  "variables": {
    "safe_sh_version": "<!(node -p \"require('./package.json').version\")"
  },
  "target_defaults": {
    "defines": ["SAFE_SH_VERSION=\"<(safe_sh_version)\""],
    "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fno-exceptions",
                  "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-O2"],
    "cflags_cc!": ["-std=gnu++17", "-std=gnu++20", "-fexceptions"],
    "ldflags": ["-Wl,-z,relro", "-Wl,-z,now"],
    "xcode_settings": {
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_ENABLE_CPP_EXCEPTIONS": "NO",
      "MACOSX_DEPLOYMENT_TARGET": "11.0",
      "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra", "-Werror", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-O2"]
    }
  },
  "targets": [
    {
      "target_name": "safe_sh",
      "sources": [
        "native/addon.cc",
        "native/common/sha256.cc",
        "native/common/status.cc",
        "native/lib/safe_sh.cc",
        "native/linux/child.cc",
        "native/linux/landlock.cc",
        "native/linux/probe.cc",
        "native/linux/relay.cc",
        "native/linux/seccomp.cc",
        "native/linux/spawn_process.cc",
        "native/linux/splice_pump.cc"
      ],
      "conditions": [
        ["OS=='mac'", {
          "sources/": [["exclude", "^native/linux/"], ["exclude", "^native/lib/"]],
          "sources": ["native/darwin/probe.cc", "native/darwin/unsupported.cc"]
        }]
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"]
    },
    {
      "target_name": "safe-sh-exec",
      "type": "executable",
      "sources": [
        "native/launcher.cc",
        "native/common/environment.cc",
        "native/common/flags.cc",
        "native/common/launch.cc",
        "native/common/status.cc",
        "native/linux/bridge.cc",
        "native/linux/cgroup.cc",
        "native/linux/cgroup_discover.cc",
        "native/linux/confine.cc",
        "native/linux/host_sockets.cc",
        "native/linux/landlock.cc",
        "native/linux/limits.cc",
        "native/linux/mount_util.cc",
        "native/linux/mounts.cc",
        "native/linux/namespaces.cc",
        "native/linux/proc_file.cc",
        "native/linux/process.cc",
        "native/linux/root_checks.cc",
        "native/linux/report.cc",
        "native/linux/seccomp.cc",
        "native/linux/splice_pump.cc",
        "native/linux/sweep.cc",
        "native/linux/toolchain.cc"
      ],
      "conditions": [
        ["OS=='mac'", {
          "sources/": [["exclude", "^native/linux/"], ["exclude", "^native/launcher\\.cc$"]],
          "sources": ["native/darwin/launcher.cc", "native/darwin/seatbelt.cc", "native/darwin/supervise.cc"]
        }]
      ],
      "cflags_cc": ["-fPIE"],
      "ldflags": ["-static-pie", "-Wl,--fatal-warnings"],
      "ldflags!": ["-rdynamic"]
    }
  ]
}
