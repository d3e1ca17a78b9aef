// Issue 15, gap 3: replacing an existing file loses its content (destructive);
// creating a file, appending, no-clobber and backups are writes. Each family
// is checked on both sides: onto a file that exists, and onto a new name.
import { beforeAll, describe, it } from "vitest";
import { loadParser } from "../../../src/classify";
import type { Risk } from "../../../src/types";
import { expectRisk as expectIn } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

// The workspace /work holds the files a.txt, b.txt, src/a.ts and the directories src and out.
const FILES = ["/work/a.txt", "/work/b.txt", "/work/src/a.ts"];
const DIRS = ["/work", "/work/src", "/work/out"];

function expectRisk(script: string, risk: Risk, reason?: string): void {
  expectIn(script, risk, reason, FILES, DIRS);
}

describe("copies, moves, installs and forced links onto an existing file are destructive", () => {
  it.each([
    ["cp b.txt a.txt", "replaces the existing file a.txt"],
    ["cp -f b.txt a.txt", "replaces the existing file a.txt"],
    ["cp /dev/null a.txt", "replaces the existing file a.txt"],
    ["cp a.ts src", "replaces the existing file src/a.ts"],
    ["cp -t src x/a.ts", "replaces the existing file src/a.ts"],
    ["mv b.txt a.txt", "replaces the existing file a.txt"],
    ["mv --force b.txt src/a.ts", "replaces the existing file src/a.ts"],
    ["install -m 644 b.txt a.txt", "replaces the existing file a.txt"],
    ["ln -sf b.txt a.txt", "replaces the existing file a.txt"],
    ["ln --force b.txt a.txt", "replaces the existing file a.txt"],
    ["cp --update b.txt a.txt", "replaces the existing file a.txt"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each([
    "cp b.txt new.txt", "cp b.txt out", "cp -r src out", "mv b.txt new.txt", "cp -n b.txt a.txt", "cp --no-clobber b.txt a.txt",
    "mv -n b.txt a.txt", "cp --update=none b.txt a.txt", "cp -b b.txt a.txt", "mv --backup=numbered b.txt a.txt",
    "ln -s b.txt a.txt", "ln b.txt new.txt", "install b.txt new.txt", "cp -T src out",
  ])("a copy that replaces nothing is a write: %s", (script) => {
    expectRisk(script, "write");
  });

  it("copying into a system path stays privileged", () => {
    expectRisk("cp b.txt /etc/hosts", "privileged", "outside the workspace");
  });
});

describe("programs that write a whole output file", () => {
  it.each([
    ["echo x | tee a.txt", "tee a.txt: replaces the existing file a.txt"],
    ["sort -o a.txt b.txt", "sort -o a.txt: replaces the existing file a.txt"],
    ["uniq b.txt a.txt", "replaces the existing file a.txt"],
    ["shuf -o a.txt b.txt", "replaces the existing file a.txt"],
    ["iconv -f utf8 -t ascii -o a.txt b.txt", "replaces the existing file a.txt"],
    ["tree -o a.txt", "replaces the existing file a.txt"],
    ["dd if=/dev/zero of=a.txt count=1", "dd of=a.txt: replaces the existing file a.txt"],
    ["truncate -s 0 a.txt", "replaces the existing file a.txt"],
    ["truncate --size=10 a.txt", "replaces the existing file a.txt"],
    ["curl -o a.txt http://example.com", "curl saving to a.txt: replaces the existing file a.txt"],
    ["curl -sSO http://example.com/a.txt", "replaces the existing file a.txt"],
    ["curl -O --output-dir src http://example.com/a.ts?x=1", "replaces the existing file src/a.ts"],
    ["wget -O a.txt http://example.com", "replaces the existing file a.txt"],
    ["scp host:x a.txt", "replaces the existing file a.txt"],
    ["rsync host:x a.txt", "replaces the existing file a.txt"],
    ["fallocate --punch-hole -o 0 -l 4096 a.txt", "discards file content"],
    ["srm a.txt", "srm destroys data"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each([
    ["echo x | tee new.txt", "write"], ["echo x | tee -a a.txt", "write"], ["sort -o new.txt b.txt", "write"],
    ["sort -o a.txt a.txt", "write"], ["dd if=/dev/zero of=new.img count=1", "write"], ["truncate -s +10 a.txt", "write"],
    ["truncate -s 1M new.img", "write"], ["fallocate -l 1M new.img", "write"], ["wget -O - http://example.com", "network"],
    ["curl -o new.txt http://example.com", "network"], ["scp host:x new.txt", "network"], ["echo x | tee /dev/null", "read-only"],
  ] as const)("a new file, an append or an in-place edit is not destructive: %s", (script, risk) => {
    expectRisk(script, risk);
  });

  it("a download into a system path is privileged", () => {
    expectRisk("curl -o /etc/x http://example.com", "privileged", "outside the workspace");
  });
});

describe("archive extraction", () => {
  it.each([
    ["tar -xzf x.tgz --overwrite", "extracts over existing files"],
    ["tar --extract --unlink-first -f x.tar", "extracts over existing files"],
    ["unzip -o x.zip", "extracts over existing files"],
    ["7z x -y x.7z", "extracts over existing files"],
    ["7z x -aoa x.7z", "extracts over existing files"],
    ["cpio -idu < x.cpio", "extracts over existing files"],
  ])("an explicit overwrite option is destructive: %s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each(["tar -xzf x.tgz", "unzip x.zip", "unzip -n x.zip", "7z x x.7z", "cpio -id < x.cpio"])("plain extraction is a write: %s", (script) => {
    expectRisk(script, "write", "extracts files");
  });

  it.each(["tar -tzf x.tgz", "unzip -l x.zip", "7z l x.7z", "cpio -t < x.cpio"])("listing is read-only: %s", (script) => {
    expectRisk(script, "read-only");
  });

  it.each(["tar -xf x.tar -C /", "unzip x.zip -d /etc", "7z x -o/usr x.7z", "cpio -id -D /etc < x.cpio"])("extracting into a system path is privileged: %s", (script) => {
    expectRisk(script, "privileged", "outside the workspace");
  });
});
