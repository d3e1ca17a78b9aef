// safe-sh --help.
export const HELP = `safe-sh — run a shell command confined by the kernel

Usage:
  safe-sh [options] -c 'SCRIPT' [NAME [ARGS...]]   run SCRIPT with bash -c, confined
  safe-sh [options] -lc 'SCRIPT'                   the same as a login shell (bash -lc)
  safe-sh [options] -- COMMAND [ARGS...]           run COMMAND directly, confined
  safe-sh explain [--json] -c 'SCRIPT' | -- ARGV   how a command is classified and decided, without running it
  safe-sh config show [--json]                     the effective policy and the file each value came from
  safe-sh trust [DIR] | untrust [DIR]              read (or stop reading) a project's .safe-sh/config.toml
  safe-sh audit verify|tail|stats [...]            check the audit trail, print or follow it, summarise it
  safe-sh secret set|list|rm NAME                  credentials in the OS keyring, injected by rule
  safe-sh review                                   an LLM reviewer program for [approval.reviewer]
  safe-sh doctor [--json]                          what this machine enforces, and why not
  safe-sh mcp [--workspace DIR]                    an MCP server (stdio): tools shell and explain
  safe-sh hook claude-code|gemini                  an agent harness's pre-tool hook (docs/agents.md)
  safe-sh setup apparmor [--uninstall]             as root: let the launcher use user namespaces on Ubuntu
  safe-sh --version | --help
  Each subcommand has its own --help.

Before anything runs, the script is parsed and classified, then decided by the policy
(~/.config/safe-sh/config.toml; see docs/policy.md): it runs confined, asks an approver (a
reviewer program, then you on the terminal), or is refused. Every decision, approval, run
and exit is recorded in the audit trail.

Options:
  --workspace DIR        the directory the command may write (default: current directory)
  --sandbox MODE         read-only | workspace-write | full-access (default: the policy's,
                         normally workspace-write). Wider than the policy = an escalation that
                         must be approved (see: safe-sh config show)
                           read-only:       nothing writable but a private TMPDIR
                           workspace-write: the workspace and a private TMPDIR
                           full-access:     the whole filesystem (syscall filter still applies)
  --network MODE         none | allowlist | full (default: the policy's, normally none);
                         allowlist reaches only [network] allow hosts, through safe-sh's proxy
  --keep-env NAME        pass NAME through although it looks like a secret (repeatable)
  --allow-degraded       run even when the kernel cannot enforce everything; says what is missing
  --timeout SECONDS      kill the whole command after SECONDS (a decimal, at least 0.001;
                         any length, days included)

What every command gets:
  - user, mount, pid namespaces: a private /tmp, a /proc showing only its own processes, and
    every process killed when the command ends or safe-sh dies; with --network none or
    allowlist a network namespace of its own (its own 127.0.0.1, nothing routes out)
  - a throwaway writable layer over $HOME, per-workspace package caches, a private /dev/shm,
    Unix sockets among its own processes (every host socket masked); see docs/toolchains.md
  - limits: 1024 processes, 8 GiB of data per process ([limits] in config.toml)
  - protected paths, read-only even inside the workspace: .git/hooks, .git/config (through
    gitdir: files too), .safe-sh, shell rc files, .vscode, .idea, .mcp.json, .claude, .codex,
    .gemini, .cursor; ones the run creates are moved aside to NAME.safe-sh-swept.PID
  - credentials unreadable: ~/.ssh, ~/.aws, ~/.gnupg, ~/.config/gh, ~/.netrc, ~/.kube,
    keyrings, browser profiles, docker.sock, the ssh-agent, D-Bus and gpg-agent sockets;
    ~/.npmrc, ~/.pypirc, ~/.docker/config.json, ~/.gitconfig seen with their secrets removed
  - Landlock: reads everywhere else; writes only to writable roots
  - seccomp: no ptrace, io_uring, keyrings, bpf, namespaces, mounts, TIOCSTI; sockets only
    socketpair, AF_UNIX (host sockets masked), AF_INET/AF_INET6 in its own network or with full
  - no_new_privs, capabilities dropped, killed when safe-sh dies, fds above 2 closed
  - a private TMPDIR, removed afterwards; secrets scrubbed from the environment
    (names containing KEY, SECRET, TOKEN, PASSWORD, CREDENTIAL, AUTH, COOKIE, PRIVATE; cloud
    credentials; SSH_AUTH_SOCK; injection vectors such as LD_PRELOAD, BASH_ENV, NODE_OPTIONS)

Exit status:
  the command's own; 128+N when killed by signal N; 126 refused (by the policy or an approver,
  or the kernel cannot enforce it; one line says why, a hint line what to change); 127 command
  not found; 125 safe-sh itself failed (bad option, bad config, audit log unwritable)

On macOS a Seatbelt profile stands in for the namespaces, Landlock and seccomp above: the
same writable roots, protected paths, masks and network modes, the tree killed through its
process group, no resource limits or read allowlist (docs/platforms.md; \`safe-sh doctor\`).
See README.md "Security model and limits".
`;
