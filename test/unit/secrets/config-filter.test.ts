// Config files with secrets are filtered, not hidden: every setting stays,
// byte for byte; only credentials go. Each filter is compared exactly.
import { describe, expect, it } from "vitest";
import { filterDockerConfig, filterGitconfig, filterIni, stripUrlCredentials } from "../../../src/secrets/config-filter";

describe("filterIni (.npmrc, .yarnrc, .pypirc)", () => {
  it("keeps npm settings and drops every token, password and _auth line, scoped or not", () => {
    const npmrc = [
      "registry=https://registry.npmjs.org/",
      "nodedir=/usr",
      "; a comment stays",
      "always-auth=true",
      "//registry.npmjs.org/:_authToken=npm_SECRET1",
      "//npm.example.com/:_auth=c2VjcmV0",
      "//npm.example.com/:_password=c2VjcmV0",
      "//npm.example.com/:username=ada",
      "_authToken = npm_SECRET2",
      "@corp:registry=https://npm.example.com/",
      "",
    ].join("\n");
    expect(filterIni(npmrc)).toBe(
      ["registry=https://registry.npmjs.org/", "nodedir=/usr", "; a comment stays", "always-auth=true", "//npm.example.com/:username=ada", "@corp:registry=https://npm.example.com/", ""].join("\n"),
    );
  });

  it("keeps a .pypirc's sections and usernames and drops passwords (key: value too)", () => {
    const pypirc = "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = pypi-SECRET\n[test]\nrepository: https://test.pypi.org/legacy/\npassword: SECRET2\n";
    expect(filterIni(pypirc)).toBe("[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n[test]\nrepository: https://test.pypi.org/legacy/\n");
  });

  it("removes credentials embedded in URLs", () => {
    expect(filterIni("registry=https://ada:SECRET@npm.example.com/\n")).toBe("registry=https://npm.example.com/\n");
  });
});

describe("filterDockerConfig", () => {
  it("keeps registries, helpers and other settings; drops auth, tokens and auth headers", () => {
    const config = {
      auths: { "ghcr.io": { auth: "SECRET", email: "a@b.c" }, "registry.example.com": { identitytoken: "SECRET2", password: "SECRET3" } },
      credsStore: "desktop",
      credHelpers: { "gcr.io": "gcloud" },
      HttpHeaders: { "User-Agent": "x", Authorization: "Bearer SECRET4", "X-Registry-Token": "SECRET5" },
      experimental: "enabled",
    };
    const filtered = JSON.parse(filterDockerConfig(JSON.stringify(config))!);
    expect(filtered).toEqual({
      auths: { "ghcr.io": { email: "a@b.c" }, "registry.example.com": {} },
      credsStore: "desktop",
      credHelpers: { "gcr.io": "gcloud" },
      HttpHeaders: { "User-Agent": "x" },
      experimental: "enabled",
    });
  });

  it("gives up (stays masked) on text that isn't a JSON object", () => {
    expect(filterDockerConfig('{"auths": {"r": {"auth": "SECRET"}')).toBeUndefined();
    expect(filterDockerConfig("[1, 2]")).toBeUndefined();
  });
});

describe("filterGitconfig", () => {
  it("keeps user, core, alias and url rewrites; drops credential sections, extraheader and tokens", () => {
    const gitconfig = [
      "[user]",
      "\tname = Ada",
      "\temail = ada@example.com",
      "[credential]",
      "\thelper = store",
      '[credential "https://github.com"]',
      "\thelper = !gh auth git-credential",
      "\tusername = ada",
      "[core]",
      "\teditor = vim",
      '[http "https://git.example.com/"]',
      "\textraHeader = Authorization: Bearer SECRET",
      "\tsslVerify = true",
      '[url "https://ada:SECRET2@git.example.com/"]',
      "\tinsteadOf = ex:",
      "[github]",
      "\ttoken = SECRET3",
      "[alias]",
      "\tst = status",
      "",
    ].join("\n");
    expect(filterGitconfig(gitconfig)).toBe(
      [
        "[user]", "\tname = Ada", "\temail = ada@example.com",
        "[core]", "\teditor = vim",
        '[http "https://git.example.com/"]', "\tsslVerify = true",
        '[url "https://git.example.com/"]', "\tinsteadOf = ex:",
        "[github]",
        "[alias]", "\tst = status", "",
      ].join("\n"),
    );
  });

  it("drops the continuation lines of a dropped value", () => {
    expect(filterGitconfig("[http]\n\textraheader = Authorization: \\\n\t  Bearer SECRET\n\tpostBuffer = 1\n")).toBe("[http]\n\tpostBuffer = 1\n");
  });

  it("gives up (stays masked) on forms it cannot filter safely", () => {
    expect(filterGitconfig("[credential.https://github.com]\n\thelper = store\n")).toBeUndefined();
    expect(filterGitconfig("[github] token = SECRET\n")).toBeUndefined();
  });
});

describe("stripUrlCredentials", () => {
  it("removes user:password@ and token@ but leaves other @ alone", () => {
    expect(stripUrlCredentials("https://user:pw@host/x and ssh://tok@h2 and mail ada@example.com")).toBe("https://host/x and ssh://h2 and mail ada@example.com");
  });
});
