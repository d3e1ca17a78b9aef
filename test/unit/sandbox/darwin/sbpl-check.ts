// A structural check of generated SBPL: tokenises, parses, and returns every
// problem found (unbalanced parentheses, unknown words, literals over 1 KB,
// paths spelled out instead of passed as parameters, unused parameters).
import { FILTERS, FIXED_PATHS, OPERATIONS, SYMBOLS } from "./vocabulary";

type Node = { kind: "list"; items: Node[] } | { kind: "string"; value: string } | { kind: "regex"; value: string } | { kind: "atom"; value: string };

const MAX_LITERAL = 1024;

function tokenize(text: string, problems: string[]): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ";") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push(c);
      i++;
    } else if (c === '"' || (c === "#" && text[i + 1] === '"')) {
      const start = i;
      i += c === "#" ? 2 : 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= text.length) problems.push(`unterminated string at offset ${start}`);
      tokens.push(text.slice(start, ++i));
    } else {
      const start = i;
      while (i < text.length && !/[\s()";]/.test(text[i]!)) i++;
      tokens.push(text.slice(start, i));
    }
  }
  return tokens;
}

function parse(tokens: string[], problems: string[]): Node[] {
  const stack: Node[][] = [[]];
  for (const token of tokens) {
    if (token === "(") stack.push([]);
    else if (token === ")") {
      if (stack.length === 1) {
        problems.push("unbalanced: ')' without '('");
        continue;
      }
      const items = stack.pop()!;
      stack[stack.length - 1]!.push({ kind: "list", items });
    } else if (token.startsWith('"')) stack[stack.length - 1]!.push({ kind: "string", value: token.slice(1, -1) });
    else if (token.startsWith('#"')) stack[stack.length - 1]!.push({ kind: "regex", value: token.slice(2, -1) });
    else stack[stack.length - 1]!.push({ kind: "atom", value: token });
  }
  if (stack.length !== 1) problems.push(`unbalanced: ${stack.length - 1} '(' not closed`);
  return stack[0]!;
}

function checkFilter(node: Node, params: Set<string>, used: Set<string>, problems: string[]): void {
  if (node.kind === "string") {
    if (Buffer.byteLength(node.value) > MAX_LITERAL) problems.push(`string literal of ${Buffer.byteLength(node.value)} bytes (max ${MAX_LITERAL})`);
    if (node.value.startsWith("/") && !FIXED_PATHS.has(node.value)) problems.push(`path spelled out: ${node.value}`);
    return;
  }
  if (node.kind === "regex") {
    if (node.value.length > MAX_LITERAL) problems.push(`regex literal over ${MAX_LITERAL} bytes`);
    return;
  }
  if (node.kind === "atom") {
    if (!SYMBOLS.has(node.value)) problems.push(`unknown symbol: ${node.value}`);
    return;
  }
  const [head, ...args] = node.items;
  if (head?.kind !== "atom" || !FILTERS.has(head.value)) {
    problems.push(`unknown filter: ${head?.kind === "atom" ? head.value : "(non-symbol)"}`);
    return;
  }
  const arity = FILTERS.get(head.value)!;
  if (arity !== "any" && args.length !== arity) problems.push(`(${head.value} ...) takes ${arity} argument(s), got ${args.length}`);
  if (head.value === "param") {
    const name = args[0];
    if (name?.kind !== "string") problems.push("(param ...) needs a string name");
    else if (!params.has(name.value)) problems.push(`parameter ${name.value} is not defined`);
    else used.add(name.value);
    return;
  }
  for (const arg of args) checkFilter(arg, params, used, problems);
}

/** Every structural problem of a profile and its parameters; empty when it is sound. */
export function checkProfile(text: string, params: ReadonlyArray<readonly [string, string]>): string[] {
  const problems: string[] = [];
  const forms = parse(tokenize(text, problems), problems);
  const defined = new Set(params.map(([name]) => name));
  const used = new Set<string>();
  if (defined.size !== params.length) problems.push("a parameter is defined twice");
  for (const [name, value] of params) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) problems.push(`parameter name ${name} is not [A-Z0-9_]`);
    if (!value.startsWith("/") || value.includes("\0")) problems.push(`parameter ${name} is not an absolute path`);
  }
  const first = forms[0];
  if (first?.kind !== "list" || first.items.map((item) => (item.kind === "atom" ? item.value : "")).join(" ") !== "version 1") problems.push("the profile must start with (version 1)");
  for (const form of forms.slice(1)) {
    if (form.kind !== "list") {
      problems.push("a top-level form is not a list");
      continue;
    }
    const [verb, ...rest] = form.items;
    if (verb?.kind !== "atom" || (verb.value !== "allow" && verb.value !== "deny")) {
      problems.push(`top-level form is not allow/deny: ${verb?.kind === "atom" ? verb.value : "?"}`);
      continue;
    }
    const operations = rest.filter((node) => node.kind === "atom");
    if (operations.length === 0) problems.push(`(${verb.value}) names no operation`);
    for (const op of operations) if (!OPERATIONS.has((op as { value: string }).value)) problems.push(`unknown operation: ${(op as { value: string }).value}`);
    const filters = rest.filter((node) => node.kind !== "atom");
    for (const filter of filters) checkFilter(filter, defined, used, problems);
    const tagged = filters.some((f) => f.kind === "list" && f.items[0]?.kind === "atom" && f.items[0].value === "with");
    if (verb.value === "deny" && !tagged) problems.push(`a deny without (with message ...): ${operations.map((op) => (op as { value: string }).value).join(" ")}`);
  }
  for (const name of defined) if (!used.has(name)) problems.push(`parameter ${name} is never used`);
  return problems;
}
