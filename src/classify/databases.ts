// Database clients: queries go to a server (network) or a local file (write);
// statements that drop or delete data, and client commands that run a shell, are classified as such.
import { optionValue, show, verdict, worst, type Family, type ProgramRule, type RiskVerdict } from "./risk";

// SQL and Redis commands that throw data away.
const DISCARDS = /\b(drop\s+(table|database|schema|index|view)|truncate(\s+table)?\s+\w|delete\s+from|flushall|flushdb)\b/i;
// psql \! and sqlite3 .shell/.system run a shell command; mysql's \! and `system` too.
const SHELL_ESCAPE = /(^|[\s;])(\\!|\.shell\b|\.system\b|system\s)/;

function statements(text: string, argv: readonly string[]): RiskVerdict[] {
  const out: RiskVerdict[] = [];
  if (DISCARDS.test(text)) out.push(verdict("destructive", `${show(argv)}: deletes data (${DISCARDS.exec(text)![0]})`));
  const shell = SHELL_ESCAPE.exec(text);
  if (shell) out.push(verdict("unknown", `${show(argv)}: ${shell[2]} runs a shell command`));
  return out;
}

// psql -c, mysql -e, sqlite3 DB SQL, redis-cli CMD…: the text given on the command line is what runs.
const client: ProgramRule = ({ argv, name, stdin }) => {
  const inline = optionValue(argv, ["-c", "--command", "-e", "--execute", "--eval"]);
  const operands = argv.slice(1).filter((a) => !a.startsWith("-"));
  const text = [inline ?? "", ...(name === "sqlite3" || name === "redis-cli" ? operands : []), stdin?.text ?? ""].join("\n");
  const base = name === "sqlite3" ? verdict("write", `${show(argv)}: opens a database file (can change it)`) : verdict("network", `${show(argv)}: ${name} talks to a database server`);
  return worst(base, ...statements(text, argv));
};

export const databases: Family = {
  rules: { psql: client, mysql: client, mariadb: client, sqlite3: client, "redis-cli": client, mongosh: client },
};
