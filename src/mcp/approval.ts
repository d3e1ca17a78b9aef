// Approvals through MCP elicitation: the client's user answers once, for the
// session, or no. A client without elicitation can't be asked ("unavailable":
// the reviewer program, if any, has already answered; otherwise refused).
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { HumanAnswer } from "../decide/approve";
import { outsideCaveat } from "../decide/approvers/none";
import type { ApprovalRequest } from "../decide/types";

/** An `ask` for Session that elicits the answer from the client's user. */
export function elicitApproval(server: Server): (request: ApprovalRequest) => Promise<HumanAnswer> {
  return async (request) => {
    if (!server.getClientCapabilities()?.elicitation) return "unavailable";
    const why = request.decision.reasons.join("; ");
    const caveat = outsideCaveat(request.decision);
    const result = await server.elicitInput({
      message: `safe-sh: approve this command?\n  command: ${request.command}\n  cwd: ${request.cwd}\n  risk: ${request.classification.risk}\n  why: ${why}${caveat ? `\n  note: ${caveat}` : ""}`,
      requestedSchema: {
        type: "object",
        properties: {
          answer: { type: "string", title: "Run it?", enum: ["once", "session", "deny"], description: "once: this run; session: this exact command for the rest of the session; deny: refuse" },
        },
        required: ["answer"],
      },
    });
    if (result.action !== "accept") return "deny";
    const answer = result.content?.answer;
    return answer === "once" || answer === "session" ? answer : "deny";
  };
}
