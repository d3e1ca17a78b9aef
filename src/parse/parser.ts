// Loads tree-sitter-bash once, on first use: the native binding by default,
// web-tree-sitter + tree-sitter-bash.wasm when the native one cannot load.
import { SafeShError } from "../errors";
import { LimitExceeded, LIMITS } from "./limits";

/** The part of a tree-sitter node the extractor reads; native and wasm nodes both satisfy it. */
export interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
}

export type ParserBackend = "native" | "wasm";

export interface BashParser {
  readonly backend: ParserBackend;
  /** Milliseconds spent loading the grammar. */
  readonly loadMs: number;
  /** Parses a script; `visit` reads the tree, which is freed afterwards. */
  parse<T>(script: string, visit: (root: SyntaxNode) => T): T;
}

// Both bindings expose the same cursor; reading the tree through it once is
// far cheaper than crossing into native code for every node property.
interface Cursor {
  readonly nodeTypeId: number;
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete?: () => void;
}
interface TreeLike {
  readonly rootNode: { readonly hasError: boolean; walk(): Cursor };
  delete?: () => void;
}
interface ParserLike {
  parse(input: string): TreeLike | null;
}

const loaded = new Map<ParserBackend, Promise<BashParser>>();
let ready: BashParser | undefined;

/** A node copied out of the parser; text is sliced from the script (indices are UTF-16 in both bindings). */
const LEAF: PlainNode[] = [];

class PlainNode implements SyntaxNode {
  children: PlainNode[] = LEAF; // most nodes are leaves: share one empty array
  hasError = false;
  private named: PlainNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  get namedChildren(): PlainNode[] {
    return (this.named ??= this.children.filter((child) => child.isNamed));
  }
}

// Type name and named-ness depend only on the type id: read them once per id,
// then each node costs three numeric reads (id, start, end).
interface Kind {
  type: string;
  isNamed: boolean;
}

function copier(source: string, cursor: Cursor, checkMissing: boolean, kinds: Kind[]): () => PlainNode {
  let budget = LIMITS.syntaxNodes;
  const copy = (): PlainNode => {
    if (--budget < 0) throw new LimitExceeded(`more than ${LIMITS.syntaxNodes} syntax nodes`);
    const id = cursor.nodeTypeId;
    const kind = (kinds[id] ??= { type: cursor.nodeType, isNamed: cursor.nodeIsNamed });
    const missing = checkMissing && cursor.nodeIsMissing;
    const node = new PlainNode(kind.type, kind.isNamed, missing, source, cursor.startIndex, cursor.endIndex);
    node.hasError = missing || kind.type === "ERROR";
    if (cursor.gotoFirstChild()) {
      node.children = [];
      do {
        const child = copy();
        node.children.push(child);
        if (child.hasError) node.hasError = true;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return node;
  };
  return copy;
}

function wrap(backend: ParserBackend, started: number, parser: ParserLike): BashParser {
  const loadMs = performance.now() - started;
  const kinds: Kind[] = [];
  return {
    backend,
    loadMs,
    parse(script, visit) {
      const tree = parser.parse(script);
      // The native parser gives up (no tree) when its time limit is reached.
      if (!tree) throw new LimitExceeded(`parsing took longer than ${LIMITS.parseMicros / 1000} ms`);
      const root = tree.rootNode; // unmarshalled once: it backs both the cursor and hasError
      const cursor = root.walk();
      try {
        // MISSING nodes only exist in trees with errors; skip the per-node check otherwise.
        return visit(copier(script, cursor, root.hasError, kinds)());
      } finally {
        cursor.delete?.();
        tree.delete?.();
      }
    },
  };
}

function loadNative(): BashParser {
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require("tree-sitter");
  const parser = new Parser();
  parser.setLanguage(require("tree-sitter-bash"));
  parser.setTimeoutMicros(LIMITS.parseMicros);
  // The native binding reads large inputs through a callback; hand it the whole string at once.
  return wrap("native", started, { parse: (input) => parser.parse(input, undefined, { bufferSize: input.length * 4 + 1024 }) });
}

async function loadWasm(): Promise<BashParser> {
  const started = performance.now();
  const { Parser, Language } = require("web-tree-sitter") as typeof import("web-tree-sitter");
  await Parser.init();
  const language = await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
  const parser = new Parser();
  parser.setLanguage(language);
  return wrap("wasm", started, parser as unknown as ParserLike);
}

async function load(backend: ParserBackend): Promise<BashParser> {
  try {
    return backend === "native" ? loadNative() : await loadWasm();
  } catch (cause) {
    throw new SafeShError("ERR_SAFESH_NATIVE", `cannot load the bash grammar (${backend})`, "reinstall tree-sitter, tree-sitter-bash and web-tree-sitter (`npm ci`)", { cause });
  }
}

/**
 * Loads the bash parser once. Without `backend`, tries the native binding and
 * falls back to WebAssembly; the result is then available to {@link readyParser}.
 * @throws SafeShError ERR_SAFESH_NATIVE when no backend can load.
 */
export async function loadBashParser(backend?: ParserBackend): Promise<BashParser> {
  const order: ParserBackend[] = backend ? [backend] : ["native", "wasm"];
  let lastError: unknown;
  for (const candidate of order) {
    let pending = loaded.get(candidate);
    if (!pending) {
      pending = load(candidate);
      loaded.set(candidate, pending);
    }
    try {
      const parser = await pending;
      if (!backend || !ready) ready = parser;
      return parser;
    } catch (error) {
      loaded.delete(candidate);
      lastError = error;
    }
  }
  throw lastError;
}

/** The parser loaded by {@link loadBashParser}, or undefined before it finished. */
export function readyParser(): BashParser | undefined {
  return ready;
}
