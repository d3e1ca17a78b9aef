// Package managers and build tools: installs, scripts and builds run
// repository-controlled code confined (execute), listings are read-only.
import { READ_ONLY, show, verdict, worst, type Family, type ProgramRule, type RiskVerdict } from "./risk";

const NPM_READ = new Set(["ls", "list", "ll", "la", "root", "prefix", "bin", "explain", "why", "query", "fund", "config", "get", "-v", "--version", "version"]);
const NPM_NETWORK = new Set(["view", "info", "show", "v", "outdated", "search", "audit", "whoami", "ping", "publish", "login", "logout"]);
// Installs run the install scripts of every package they fetch.
const NPM_INSTALL = new Set(["install", "i", "in", "ci", "add", "update", "up", "upgrade", "uninstall", "remove", "rm", "un", "dedupe", "prune", "install-test", "it", "install-ci-test", "cit"]);
const NPM_RUNS = new Set(["run", "run-script", "rum", "urn", "test", "t", "tst", "start", "stop", "restart", "exec", "x", "rebuild", "rb", "pack", "explore", "init", "create", "dlx", "dev", "build"]);

function subcommand(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith("-")) ?? argv.find((a, i) => i > 0 && (a === "-v" || a === "--version"));
}

const installs = (what: string): RiskVerdict =>
  worst(verdict("execute", `${what}: runs the install scripts of the packages`), verdict("network", `${what}: contacts the registry`));

// npm, pnpm, yarn and bun share the verbs; an unknown verb is a package.json script for yarn/pnpm/bun.
const nodePackages: ProgramRule = ({ argv, name }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  // yarn (yarnPath in .yarnrc.yml), pnpm (.pnpmfile.cjs) and bun (bunfig.toml preload) run project-named code first.
  if (name !== "npm") return worst(verdict("execute", `${what}: ${name} runs code named by the project's config`), ...(sub !== undefined && NPM_NETWORK.has(sub) ? [verdict("network", `${what}: contacts the registry`)] : []));
  if (sub === undefined) return name === "npm" ? READ_ONLY : installs(name);
  if (sub === "config" || sub === "get") {
    if (!["set", "delete", "edit", "fix"].some((verb) => argv.includes(verb))) return READ_ONLY;
    // Without --location=project it writes ~/.npmrc (or the global npmrc): outside the workspace.
    return argv.some((a) => /^--location(=|$)/.test(a)) && argv.includes("--location=project") ? verdict("write", `${what}: changes the project's .npmrc`) : verdict("privileged", `${what}: changes the user's or the global npm config`);
  }
  if (sub === "version" && argv.length > 2) return verdict("unknown", `${what}: bumps the version and runs version scripts`);
  if (NPM_READ.has(sub)) return READ_ONLY;
  if (NPM_NETWORK.has(sub)) return verdict("network", `${what}: contacts the registry`);
  if (NPM_INSTALL.has(sub)) return installs(what);
  if (NPM_RUNS.has(sub)) return verdict("execute", `${what}: runs package.json scripts or downloaded packages`);
  return verdict("execute", `${what}: runs the package.json script or command ${sub}`);
};

// Packages whose whole job is deleting their operands.
const DELETERS = new Set(["rimraf", "del-cli", "rm-rf"]);

const runsPackage: ProgramRule = ({ argv, name }) => {
  const pkg = argv.slice(1).find((a) => !a.startsWith("-"))?.replace(/@[^/]*$/, "") ?? "";
  return worst(
    verdict("execute", `${show(argv)}: ${name} downloads and runs a package`),
    verdict("network", `${name}: contacts the registry`),
    ...(DELETERS.has(pkg) ? [verdict("destructive", `${show(argv)}: ${pkg} deletes its operands`)] : []),
  );
};

const pip: ProgramRule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined || ["list", "show", "freeze", "check", "help", "-v", "--version", "debug", "inspect"].includes(sub)) return READ_ONLY;
  if (sub === "uninstall") return verdict("write", `${what}: removes packages`);
  if (["download", "index", "search"].includes(sub)) return verdict("network", `${what}: downloads packages`);
  if (["install", "wheel"].includes(sub)) return worst(verdict("execute", `${what}: builds run the packages' setup code`), verdict("network", `${what}: downloads packages`));
  return verdict("unknown", `${what}: unknown pip command`);
};

// rust-toolchain.toml and .cargo/config.toml (build.rustc-wrapper) in the project name what runs, for every command.
const cargo: ProgramRule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined || ["--version", "-v", "version", "help", "tree", "locate-project", "pkgid", "verify-project"].includes(sub)) return verdict("execute", `${what}: cargo runs the toolchain the project names`);
  if (["fetch", "update", "search", "publish", "add", "login"].includes(sub)) return worst(verdict("execute", `${what}: cargo runs the toolchain the project names`), verdict("network", `${what}: contacts the registry`));
  return verdict("execute", `${what}: builds run build scripts and tests run code`);
};

const go: ProgramRule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === "help") return READ_ONLY;
  // go.mod's toolchain line makes any go command download and run another toolchain (GOTOOLCHAIN=auto).
  if (sub === undefined || ["version", "env", "doc", "list"].includes(sub)) return verdict("execute", `${what}: go runs the toolchain go.mod names`);
  if (sub === "get" || sub === "install" || (sub === "mod" && argv.includes("download"))) return verdict("network", `${what}: downloads modules`);
  if (sub === "fmt" || (sub === "mod" && argv.includes("tidy"))) return verdict("write", `${what}: rewrites files`);
  return verdict("execute", `${what}: builds or runs code (go generate/test/run)`);
};

const builds: ProgramRule = ({ argv, name }) => verdict("execute", `${show(argv)}: ${name} runs recipes from the repository`);

// Compilers, test runners, linters and formatters: they run (or load) project code and plugins, confined.
const TOOLCHAIN = [
  "cc", "gcc", "g++", "c++", "clang", "clang++", "rustc", "javac", "java", "kotlinc", "scalac", "tsc", "esbuild", "swc", "babel",
  "webpack", "rollup", "vite", "node-gyp", "meson", "bazel", "bazelisk", "scons", "autoreconf", "autoconf", "automake",
  "libtool", "pytest", "py.test", "tox", "nox", "jest", "vitest", "mocha", "tape", "nyc", "c8", "ava", "karma", "phpunit",
  "rspec", "eslint", "prettier", "biome", "flake8", "pylint", "ruff", "mypy", "black", "isort", "rubocop", "golangci-lint",
  "shellcheck", "clippy-driver", "virtualenv", "poetry", "pipenv", "uv", "pdm", "hatch", "bundle", "bundler", "gem", "composer",
  "dotnet", "swift", "zig", "ts-node", "tsx", "nodemon", "turbo", "nx", "lerna", "corepack",
] as const;

const toolchain: ProgramRule = ({ argv, name }) => verdict("execute", `${show(argv)}: ${name} runs or loads project code`);

const systemPackages: ProgramRule = ({ argv, name }): RiskVerdict => {
  const sub = subcommand(argv);
  if (sub === undefined || ["list", "show", "search", "policy", "info", "depends", "rdepends", "showpkg", "madison", "--version", "-v"].includes(sub)) return READ_ONLY;
  if (name === "brew") return verdict("network", `${show(argv)}: installs or updates packages`);
  return verdict("privileged", `${show(argv)}: changes system packages`);
};

const BUILDS = ["make", "gmake", "cmake", "ninja", "just", "task", "gradle", "gradlew", "mvn", "rake", "ant"] as const;

const INSTALL_VERBS = /^(install|i|add|uninstall|remove|rm|un|update|upgrade|up|reinstall|link|ln|unlink|inject|tap)$/;

/**
 * Where an install lands outside the workspace: global package trees, the user's
 * home (~/.cargo, ~/go, ~/.local, ~/.gem) or the system: what it changes is outside the workspace.
 */
function installsOutside(name: string, argv: readonly string[]): string | undefined {
  const words = argv.slice(1).filter((a) => !a.startsWith("-"));
  const verb = words[0] ?? "";
  const has = (...options: string[]) => options.some((o) => argv.includes(o) || argv.some((a) => o.startsWith("--") && a.startsWith(`${o}=`)));
  switch (name) {
    case "npm": case "pnpm": case "yarn": case "bun":
      if (verb === "global" || (INSTALL_VERBS.test(verb) && (has("-g", "--global") || argv.includes("--location=global")))) return "the global package tree";
      return undefined;
    case "pip": case "pip3":
      return INSTALL_VERBS.test(verb) && has("--user", "--break-system-packages", "--prefix", "--root") ? "the user's or the system's Python packages" : undefined;
    case "gem":
      return INSTALL_VERBS.test(verb) && !has("-i", "--install-dir") ? "the Ruby gem tree (system or ~/.gem)" : undefined;
    case "cargo":
      return verb === "install" || verb === "uninstall" ? "~/.cargo/bin" : undefined;
    case "go":
      return verb === "install" ? "$GOBIN (~/go/bin)" : undefined;
    case "pipx":
      return INSTALL_VERBS.test(verb) ? "~/.local (pipx environments)" : undefined;
    case "uv":
      return (verb === "tool" && INSTALL_VERBS.test(words[1] ?? "")) || (verb === "pip" && has("--system")) ? "the user's tools or the system's Python" : undefined;
    case "brew":
      return INSTALL_VERBS.test(verb) || verb === "cleanup" ? "the Homebrew prefix" : undefined;
    default:
      return undefined;
  }
}

/** A package rule that is also privileged when the install lands outside the workspace. */
function outsideInstalls(rules: Record<string, ProgramRule>): Record<string, ProgramRule> {
  return Object.fromEntries(Object.entries(rules).map(([name, rule]): [string, ProgramRule] => [name, (cmd, ctx) => {
    const where = installsOutside(cmd.name, cmd.argv);
    const result = rule(cmd, ctx);
    return where ? worst(result, verdict("privileged", `${show(cmd.argv)}: installs into ${where}, outside the workspace`)) : result;
  }]));
}

export const packages: Family = {
  // Their worst is running project code: expanded arguments can't raise that.
  anyArgs: [...TOOLCHAIN, ...BUILDS],
  rules: outsideInstalls({
    npm: nodePackages, pnpm: nodePackages, yarn: nodePackages, bun: nodePackages,
    npx: runsPackage, pnpx: runsPackage, bunx: runsPackage, uvx: runsPackage, pipx: runsPackage,
    pip, pip3: pip, cargo, go,
    ...Object.fromEntries(TOOLCHAIN.map((n) => [n, toolchain])),
    ...Object.fromEntries(BUILDS.map((n) => [n, builds])),
    apt: systemPackages, "apt-get": systemPackages, "apt-cache": systemPackages, dnf: systemPackages, yum: systemPackages,
    apk: systemPackages, zypper: systemPackages, snap: systemPackages, dpkg: systemPackages, brew: systemPackages,
  }),
};
