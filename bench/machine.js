// Facts about the machine and the run, stored next to the figures.
const fs = require("node:fs");
const os = require("node:os");

function machineFacts(smoke) {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    kernel: `${os.type()} ${os.release()}`,
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ? "set" : "not set",
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    uid: process.getuid?.(),
    unprivilegedUserns: readSysctl("/proc/sys/kernel/unprivileged_userns_clone"),
    smoke,
  };
}

function readSysctl(file) {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "n/a";
  }
}

module.exports = { machineFacts };
