// Case 7: allowlist proxy throughput on loopback: a large download with curl
// through the proxy (HTTP CONNECT tunnel) vs straight from the same origin.
const path = require("node:path");
const { execFile, spawn } = require("node:child_process");
const { interleave } = require("../measure");
const { summary, pairedRatio } = require("../stats");

const BUDGET = 0.8; // through the proxy ≥ 80 % of the direct rate

/**
 * An origin in its own process (as a remote server would be), streaming
 * `bytes` zero bytes per request; resolves with its port and a stop function.
 */
function startOrigin(bytes) {
  const source = `
    const block = Buffer.alloc(1024 * 1024);
    const server = require("node:http").createServer((req, res) => {
      res.writeHead(200, { "Content-Length": ${bytes} });
      let left = ${bytes};
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, block.length);
          left -= n;
          if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => resolve({ port: Number(String(chunk).trim()), stop: () => child.kill() }));
  });
}

/** Seconds curl needed for the transfer; rejects on any failure. */
function download(url, extra) {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-sS", "--max-time", "120", "-o", "/dev/null", "-w", "%{time_total} %{size_download}", ...extra, url], { timeout: 130_000 }, (error, stdout) => {
      if (error) return reject(error);
      const [seconds] = stdout.trim().split(" ").map(Number);
      resolve(seconds * 1000);
    });
  });
}

async function run({ root, smoke }) {
  const { startProxy } = require(path.join(root, "dist", "net"));
  const bytes = (smoke ? 8 : 200) * 1024 * 1024;
  const origin = await startOrigin(bytes);
  const port = origin.port;
  const proxy = await startProxy({ allow: ["origin.test"], hosts: { "origin.test": "127.0.0.1" }, allowPrivate: ["origin.test"], listen: { host: "127.0.0.1", port: 0 } });
  try {
    const variants = {
      direct: () => download(`http://127.0.0.1:${port}/`, []),
      "through the proxy (CONNECT)": () => download(`http://origin.test:${port}/`, ["--proxytunnel", "-x", `http://127.0.0.1:${proxy.port}`]),
    };
    const samples = await interleave(variants, smoke ? 2 : 7, 1);
    const rate = (name) => samples[name].map((ms) => bytes / 1024 / 1024 / (ms / 1000));
    const direct = rate("direct");
    const proxied = rate("through the proxy (CONNECT)");
    const ratio = pairedRatio(proxied, direct);
    return {
      rows: [
        { label: `curl ${bytes / 1024 / 1024} MiB, direct`, unit: "MB/s", value: summary(direct) },
        { label: `curl ${bytes / 1024 / 1024} MiB, through the proxy`, unit: "MB/s", value: summary(proxied), vs: `${(ratio.median * 100).toFixed(0)} % of direct` },
      ],
      budgets: [
        {
          label: "proxy throughput vs direct",
          target: `≥ ${BUDGET * 100} % of direct`,
          measured: `${(ratio.median * 100).toFixed(0)} % (paired min–max ${(ratio.min * 100).toFixed(0)}–${(ratio.max * 100).toFixed(0)} %)`,
          met: ratio.median >= BUDGET,
          value: ratio,
        },
      ],
      notes: ["the launcher's bridge adds one more relay inside the sandbox; this measures the proxy itself"],
    };
  } finally {
    await proxy.close();
    origin.stop();
  }
}

module.exports = { id: "proxy", title: "7. Allowlist proxy throughput", run };
