// Input limits of the classifier: beyond them a script is not analysed (its
// verdict is unknown with the limit named), so time and memory stay bounded.

export const LIMITS = {
  /** Longest script analysed, in UTF-16 code units (a large heredoc body is one node: cheap). */
  scriptChars: 128 * 1024,
  /** Most syntax nodes read from one parse tree (a command line is ~5–10 nodes). */
  syntaxNodes: 20_000,
  /** Deepest bracket nesting (`$(`, `(`, `{`, `[`): tree-sitter slows down sharply on deep nesting. */
  nesting: 500,
  /** Longest the grammar may take on one script (native parser; tree-sitter's error recovery can be slow). */
  parseMicros: 500_000,
} as const;

/** Thrown inside parsing when a limit is reached; the classifier turns it into an unknown verdict. */
export class LimitExceeded extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Deepest nesting of brackets in the text, counted without regard to quotes (an over-estimate is safe). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 123 || c === 91) deepest = Math.max(deepest, ++depth); // ( { [
    else if ((c === 41 || c === 125 || c === 93) && depth > 0) depth--; // ) } ]
  }
  return deepest;
}
