// bash removes a backslash-newline before it splits words, so `r\<newline>m`
// is `rm`; tree-sitter splits it into two words. Join what bash would join.

// A continuation with a non-blank on both sides: inside a word, where the split differs.
const IN_WORD = /[^\s\\]\\\n(?=\S)/;

/**
 * The script as bash tokenizes it when a word contains a line continuation:
 * `{ text }` with continuations removed, or `{ reason }` when they can't be
 * removed safely (comments, single quotes and heredoc bodies keep them).
 */
export function joinContinuations(script: string): { text: string } | { reason: string } {
  if (!IN_WORD.test(script)) return { text: script };
  if (/[#'`]|<</.test(script)) return { reason: "\\<newline> inside a word: bash joins the word, the parser splits it" };
  return { text: script.replace(/\\\n/g, "") };
}
