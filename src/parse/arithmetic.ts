// Tracks where bash evaluates text as arithmetic: a variable whose value is
// not known statically, reaching such a place, can run commands (bash evaluates
// its value recursively, and `a[$(cmd)]` in it runs cmd).
import type { SyntaxNode } from "./parser";

// Variables bash itself keeps numeric, and special parameters that are numbers.
const NUMERIC = new Set(["RANDOM", "SRANDOM", "LINENO", "SECONDS", "EPOCHSECONDS", "BASHPID", "PPID", "UID", "EUID", "OPTIND", "#", "?", "$", "!"]);
const IDENTIFIER = /(?<![0-9A-Za-z_$#])[A-Za-z_][A-Za-z0-9_]*/g;
const ARITHMETIC_TEST = /^-(eq|ne|lt|le|gt|ge)$/;
// Builtins whose operands are variable names they assign from input.
export const READS_INTO = new Set(["read", "mapfile", "readarray", "getopts"]);

/** Whether an assigned literal value is safe in arithmetic (a plain integer). */
export function isNumeric(text: string): boolean {
  return /^[-+]?[0-9]+$/.test(text.trim());
}

export class Arithmetic {
  /** Names with only numeric assignments so far, and names with any other assignment. */
  private readonly safe = new Set<string>();
  private readonly unsafe = new Set<string>();
  private readonly risky = new Set<string>();

  /** Records an assignment to `name`; `numeric` when the value is a plain integer or an arithmetic result. */
  assign(name: string, numeric: boolean): void {
    if (numeric && !this.unsafe.has(name)) this.safe.add(name);
    else {
      this.safe.delete(name);
      this.unsafe.add(name);
    }
  }

  /** Reads a name in arithmetic: unsafe unless every assignment so far was numeric (and there was one). */
  private use(name: string): void {
    if (!NUMERIC.has(name) && !this.safe.has(name)) this.risky.add(name);
  }

  /** Whether `node` starts an arithmetic context bash evaluates (it is then walked by {@link visit}). */
  static isContext(node: SyntaxNode): boolean {
    switch (node.type) {
      case "arithmetic_expansion":
      case "c_style_for_statement":
        return true;
      case "compound_statement":
        return node.children[0]?.type === "((";
      case "subscript":
        return true; // walk it with visitSubscript: only the index is arithmetic
      case "binary_expression":
        return node.children.some((c) => c.type === "test_operator" && ARITHMETIC_TEST.test(c.text));
      default:
        return false;
    }
  }

  /** Reads every name used in an arithmetic context; assignments in it (`i=0`, `x = y`) make the target numeric. */
  visit(node: SyntaxNode): void {
    switch (node.type) {
      case "command_substitution":
      case "process_substitution":
        // Its output is evaluated as arithmetic: whatever it prints could hold a subscript.
        this.risky.add(`$(${node.text.slice(2, 22)}…)`);
        return;
      case "expansion":
        if (node.text.startsWith("${#")) return; // a length is a number
        break;
      case "variable_name":
      case "special_variable_name":
        return this.use(node.text);
      case "word":
        if (node.text === "@" || node.text === "*") return;
        for (const name of node.text.match(IDENTIFIER) ?? []) this.use(name);
        return;
      case "variable_assignment": {
        const [name, value] = node.namedChildren;
        if (value) this.visit(value);
        if (name?.type === "variable_name") this.assign(name.text, true);
        return;
      }
      case "binary_expression": {
        const [left, right] = node.namedChildren;
        const op = node.children.find((c) => !c.isNamed)?.type;
        if (op === "=" && left?.type === "variable_name") {
          if (right) this.visit(right);
          this.assign(left.text, true);
          return;
        }
        break;
      }
      case "string":
      case "raw_string":
      case "number":
      case "do_group":
        if (node.type === "do_group") return; // the loop body is ordinary code
        if (node.type !== "string") return;
        break;
    }
    for (const child of node.namedChildren) this.visit(child);
  }

  /** An array subscript `a[INDEX]`: for indexed arrays bash evaluates INDEX as arithmetic. */
  visitSubscript(node: SyntaxNode): void {
    const index = node.namedChildren[1];
    if (index) this.visit(index);
  }

  /** `let EXPR…`: each argument is an arithmetic expression. */
  visitLet(args: readonly string[]): void {
    for (const arg of args) {
      const assigned = /^([A-Za-z_][A-Za-z0-9_]*)=(?!=)(.*)$/s.exec(arg);
      for (const name of (assigned ? assigned[2]! : arg).match(IDENTIFIER) ?? []) this.use(name);
      if (assigned) this.assign(assigned[1]!, true);
    }
  }

  /** One reason per name whose value could reach arithmetic without being known. */
  issues(): string[] {
    return [...this.risky].map((name) => `${name.startsWith("$(") ? name : `$${name}`}: value not known statically, evaluated as arithmetic (a subscript in it can run commands)`);
  }
}
