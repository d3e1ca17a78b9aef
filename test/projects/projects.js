// The real projects the suite drives: where each comes from and the steps an
// agent takes on it (install → build → test → lint → commit), as shell scripts.
"use strict";

// Commits go through `git -c` because GIT_AUTHOR_* look like secrets to the
// environment scrubber, which is exactly how an agent works around it.
const COMMIT = "echo 'agent was here' >> AGENT_NOTES.md && git add -A && git -c user.name=agent -c user.email=agent@example.invalid commit -qm 'agent step'";

/**
 * source: how the pristine tree is obtained (cached under .cache/projects/).
 * ignore: the repository's .gitignore (what the steps build).
 * steps: run in order in a fresh copy; `sameOutput` steps must also print the
 * same bytes confined and unconfined.
 */
const PROJECTS = [
  {
    name: "minimist (npm: tape, nyc, eslint)",
    id: "minimist",
    source: { kind: "npm", spec: "minimist@1.2.8" },
    ignore: ["node_modules", "*.tgz", ".npmignore", ".nyc_output", "coverage"],
    steps: [
      { name: "install", script: "npm install --no-audit --no-fund" },
      { name: "lockfile", script: "sha256sum package-lock.json", sameOutput: true },
      { name: "build", script: "npm pack --silent >/dev/null && ls minimist-*.tgz" },
      { name: "test", script: "npm test" },
      { name: "lint", script: "npm run lint" },
      { name: "npx", script: "npx --no-install tape test/bool.js >/dev/null" },
      { name: "commit", script: COMMIT },
    ],
  },
  {
    name: "markupsafe (Debian source: C extension, venv, pytest, flake8)",
    id: "markupsafe",
    source: { kind: "debian", package: "markupsafe" },
    ignore: [".venv", "build", "*.so", "*.egg-info", "__pycache__"],
    steps: [
      { name: "venv", script: "/usr/bin/python3 -m venv --system-site-packages .venv" },
      { name: "install", script: ".venv/bin/pip install -q --no-index --no-build-isolation -e ." },
      { name: "build", script: ".venv/bin/python setup.py -q build_ext --inplace" },
      { name: "test", script: ".venv/bin/python -m pytest -q -p no:cacheprovider tests" },
      { name: "lint", script: ".venv/bin/python -m flake8 --jobs=2 src" },
      { name: "multiprocessing", script: ".venv/bin/python -c 'from multiprocessing import Pool, Lock; Lock(); print(sum(Pool(2).map(abs, range(-50, 50))))'", sameOutput: true },
      { name: "commit", script: COMMIT },
    ],
  },
  {
    name: "zlib (Debian source: configure, make, make test)",
    id: "zlib",
    source: { kind: "debian", package: "zlib" },
    ignore: ["_inst", "*.o", "*.lo", "*.so*", "*.a", "/example", "/examplesh", "/example64", "/minigzip", "/minigzipsh", "/minigzip64", "Makefile", "zlib.pc", "configure.log"],
    steps: [
      { name: "configure", script: "./configure --prefix=\"$PWD/_inst\"" },
      { name: "build", script: "make -j2 >/dev/null" },
      { name: "test", script: "make test" },
      { name: "install", script: "make install >/dev/null && ls _inst/lib/libz.a" },
      { name: "lint", script: "cc -fsyntax-only -Wall -Wextra -Werror adler32.c crc32.c" },
      { name: "commit", script: COMMIT },
    ],
  },
  {
    name: "agent chores (loopback server, Unix socket, background jobs)",
    id: "chores",
    source: { kind: "inline" },
    ignore: ["agent.sock"],
    steps: [
      {
        name: "loopback server",
        script:
          "node -e 'const h=require(\"http\");const s=h.createServer((q,r)=>r.end(\"pong\")).listen(0,\"127.0.0.1\",()=>h.get(`http://127.0.0.1:${s.address().port}/`,r=>{r.on(\"data\",d=>console.log(String(d)));r.on(\"end\",()=>s.close())}))'",
        sameOutput: true,
      },
      {
        name: "unix socket",
        script:
          "python3 -c 'import socket,os,threading\nsrv=socket.socket(socket.AF_UNIX);srv.bind(\"agent.sock\");srv.listen(1)\ndef serve():\n c,_=srv.accept();c.sendall(c.recv(10).upper());c.close()\nt=threading.Thread(target=serve);t.start()\ncl=socket.socket(socket.AF_UNIX);cl.connect(\"agent.sock\");cl.sendall(b\"ping\");print(cl.recv(10).decode());t.join()'",
        sameOutput: true,
      },
      { name: "background job", script: "(sleep 0.2; echo done > bg.txt) & wait; cat bg.txt", sameOutput: true },
      {
        // A tool writing its own dotfile (an explicit `> ~/file` in the script is
        // classified as a write outside the workspace, and asks).
        name: "tool's dotfile",
        script: "node -e 'const f=require(\"os\").homedir()+\"/.safe-sh-projects-dotfile\";require(\"fs\").writeFileSync(f,\"x\");console.log(require(\"fs\").readFileSync(f,\"utf8\"))'",
        sameOutput: true,
      },
      { name: "commit", script: COMMIT },
    ],
  },
];

module.exports = { PROJECTS };
