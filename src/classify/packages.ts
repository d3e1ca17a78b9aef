// Package managers and build tools: installs are network, scripts and builds
// run repository-controlled code (unknown), listings are read-only.
import { READ_ONLY, show, verdict, type Family, type Rule, type Verdict } from "./risk";

const NPM_READ = new Set(["ls", "list", "ll", "la", "root", "prefix", "bin", "help", "explain", "why", "query", "fund", "config", "get", "-v", "--version", "version"]);
const NPM_NETWORK = new Set(["install", "i", "in", "ci", "add", "update", "up", "upgrade", "uninstall", "remove", "rm", "un", "view", "info", "show", "v", "outdated", "search", "audit", "whoami", "ping", "publish", "login", "logout", "dedupe", "prune"]);
const NPM_RUNS = new Set(["run", "run-script", "rum", "urn", "test", "t", "tst", "start", "stop", "restart", "exec", "x", "rebuild", "rb", "pack", "explore", "init", "create", "dlx", "dev", "build"]);

function subcommand(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith("-")) ?? argv.find((a, i) => i > 0 && (a === "-v" || a === "--version"));
}

// npm, pnpm, yarn and bun share the verbs; an unknown verb is a package.json script for yarn/pnpm/bun.
const nodePackages: Rule = ({ argv, name }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined) return name === "npm" ? READ_ONLY : verdict("network", `${name}: installs dependencies and runs their install scripts`);
  if (sub === "config" || sub === "get") return argv.includes("set") || argv.includes("delete") ? verdict("unknown", `${what}: changes package-manager config`) : READ_ONLY;
  if (sub === "version" && argv.length > 2) return verdict("unknown", `${what}: bumps the version and runs version scripts`);
  if (NPM_READ.has(sub)) return READ_ONLY;
  if (NPM_NETWORK.has(sub)) return verdict("network", `${what}: contacts the registry (installs run package scripts)`);
  if (NPM_RUNS.has(sub)) return verdict("unknown", `${what}: runs package.json scripts or downloaded packages`);
  return verdict("unknown", `${what}: runs the package.json script or command ${sub}`);
};

const runsPackage: Rule = ({ argv, name }) => verdict("unknown", `${show(argv)}: ${name} downloads and runs a package`);

const pip: Rule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined || ["list", "show", "freeze", "check", "help", "-v", "--version", "debug", "inspect"].includes(sub)) return READ_ONLY;
  if (sub === "uninstall") return verdict("write", `${what}: removes packages`);
  if (["install", "download", "wheel", "index", "search"].includes(sub)) return verdict("network", `${what}: downloads packages (builds can run their code)`);
  return verdict("unknown", `${what}: unknown pip command`);
};

const cargo: Rule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined || ["--version", "-v", "version", "help", "tree", "locate-project", "pkgid", "verify-project"].includes(sub)) return READ_ONLY;
  if (["fetch", "install", "update", "search", "publish", "add", "login"].includes(sub)) return verdict("network", `${what}: contacts the registry`);
  return verdict("unknown", `${what}: builds run build scripts and tests run code`);
};

const go: Rule = ({ argv }) => {
  const sub = subcommand(argv);
  const what = show(argv);
  if (sub === undefined || ["version", "env", "help", "doc", "list"].includes(sub)) return argv.includes("-w") ? verdict("write", `${what}: writes go env`) : READ_ONLY;
  if (sub === "get" || sub === "install" || (sub === "mod" && argv.includes("download"))) return verdict("network", `${what}: downloads modules`);
  if (sub === "fmt" || (sub === "mod" && argv.includes("tidy"))) return verdict("write", `${what}: rewrites files`);
  return verdict("unknown", `${what}: builds or runs code (go generate/test/run)`);
};

const builds: Rule = ({ argv, name }) => verdict("unknown", `${show(argv)}: ${name} runs recipes from the repository`);

const systemPackages: Rule = ({ argv, name }): Verdict => {
  const sub = subcommand(argv);
  if (sub === undefined || ["list", "show", "search", "policy", "info", "depends", "rdepends", "showpkg", "madison", "--version", "-v"].includes(sub)) return READ_ONLY;
  if (name === "brew") return verdict("network", `${show(argv)}: installs or updates packages`);
  return verdict("privileged", `${show(argv)}: changes system packages`);
};

export const packages: Family = {
  rules: {
    npm: nodePackages, pnpm: nodePackages, yarn: nodePackages, bun: nodePackages,
    npx: runsPackage, pnpx: runsPackage, bunx: runsPackage, uvx: runsPackage, pipx: runsPackage,
    pip, pip3: pip, cargo, go,
    make: builds, gmake: builds, cmake: builds, ninja: builds, just: builds, task: builds, gradle: builds, gradlew: builds, mvn: builds, rake: builds, ant: builds,
    apt: systemPackages, "apt-get": systemPackages, "apt-cache": systemPackages, dnf: systemPackages, yum: systemPackages,
    apk: systemPackages, zypper: systemPackages, snap: systemPackages, dpkg: systemPackages, brew: systemPackages,
  },
};
