// Issue 15, classes 8 and 9: long options by unique prefix, and every git form
// that throws away uncommitted work, branch tips or history.
import { beforeAll, describe, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("class 8: unique prefixes of long options", () => {
  it.each([
    ["rm --rec --for src", "destructive", "recursive forced delete of src"],
    ["git reset --ha", "destructive", "discards uncommitted changes"],
    ["git push --for origin main", "destructive", "rewrites or deletes remote history"],
    ["git push --force-with origin main", "destructive", "rewrites or deletes remote history"],
    ["git clean --forc -d", "destructive", "deletes untracked files"],
    ["git checkout --for main", "destructive", "discards working-tree changes"],
    ["sort --out=x f", "write", "sort -o x: writes x"],
    ["git diff --ext", "execute", "--ext-diff"],
    ["git log --outp=patch.txt", "write", "writes a file"],
    ["rsync -a --del a/ b/", "destructive", "deletes files at the destination"],
    ["tar -xf a.tar --to-com='rm -rf src'", "destructive", "rm -rf src"],
  ])("%s", (script, risk, reason) => {
    expectRisk(script, risk as never, reason);
  });

  it("a complete option that is also a prefix of a longer one is itself", () => {
    expectRisk("tar -cf a.tar --checkpoint=10 src", "write", "writes an archive");
    expectRisk("git diff --text", "read-only");
  });
});

describe("class 9: git forms that discard work", () => {
  it.each([
    ["git checkout -f main", "discards working-tree changes"],
    ["git checkout -B main origin/main", "discards working-tree changes"],
    ["git checkout HEAD~3 -- src", "discards working-tree changes"],
    ["git checkout HEAD src/app.ts", "discards working-tree changes"],
    ["git checkout --theirs .", "discards working-tree changes"],
    ["git switch -C main", "discards changes or resets a branch"],
    ["git switch --discard-changes main", "discards changes or resets a branch"],
    ["git restore --source=HEAD~1 src", "discards working-tree changes"],
    ["git restore -SW f", "discards working-tree changes"],
    ["git reset --merge", "discards uncommitted changes"],
    ["git branch -f main HEAD~5", "deletes, overwrites or resets a branch"],
    ["git branch -M old main", "deletes, overwrites or resets a branch"],
    ["git branch --delete --force topic", "deletes, overwrites or resets a branch"],
    ["git rm -f src/a.ts", "deletes files with uncommitted changes"],
    ["git clean -d", "deletes untracked files"],
    ["git stash drop stash@{0}", "deletes stashed changes"],
    ["git update-ref refs/heads/main HEAD~10", "moves or deletes a ref"],
    ["git update-ref -d refs/heads/x", "moves or deletes a ref"],
    ["git reflog expire --expire=now --all", "deletes reflog entries"],
    ["git gc --prune=now", "deletes unreachable objects"],
    ["git prune", "deletes unreachable objects"],
    ["git filter-branch --tree-filter true HEAD", "rewrites history"],
    ["git submodule deinit -f --all", "discards submodule changes"],
    ["git submodule update --force", "discards submodule changes"],
    ["git worktree remove --force ../wt", "deletes a worktree with changes"],
    ["git read-tree --reset -u HEAD", "overwrites the index and working tree"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("runs and classifies what submodule foreach and rebase --exec run", () => {
    expectRisk("git submodule foreach 'git reset --hard'", "destructive", "git submodule foreach: runs a shell script");
    expectRisk("git rebase -x 'rm -rf src' main", "destructive", "rm -rf src");
    expectRisk("git rebase --exec='make test' main", "execute", "make runs recipes");
  });

  it("keeps the harmless forms below destructive", () => {
    expectRisk("git checkout main", "write", "switches or updates files");
    expectRisk("git checkout -b topic", "write");
    expectRisk("git restore --staged f", "write", "unstages files");
    expectRisk("git clean -n", "read-only");
    expectRisk("git rm --cached f", "write");
    expectRisk("git stash", "write");
  });
});
