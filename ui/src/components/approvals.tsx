/**
 * Tool calls waiting for a human: what would be called with which arguments, and Approve / Deny
 * (with an optional reason, which a denial passes on to the model).
 */
import { useState } from "preact/hooks";
import { api, messageOf } from "../api/client";
import type { Approval } from "../api/types";
import { JsonView } from "./json-view";

export function PendingApprovals({ runId, approvals, onDecided }: { runId: string; approvals: Approval[]; onDecided: () => void }) {
  if (approvals.length === 0) return null;
  return (
    <section class="approvals" aria-label="Calls waiting for approval">
      {approvals.map((a) => (
        <ApprovalCard key={a.call_id} runId={runId} approval={a} onDecided={onDecided} />
      ))}
    </section>
  );
}

function ApprovalCard({ runId, approval, onDecided }: { runId: string; approval: Approval; onDecided: () => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const decide = async (decision: "approve" | "deny") => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/runs/${runId}/approvals/${encodeURIComponent(approval.call_id)}`, { decision, ...(reason ? { reason } : {}) });
      onDecided();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const done = approval.status !== "pending";
  return (
    <div class="approval" data-call-id={approval.call_id} data-approval-status={approval.status}>
      <p>
        <strong>{approval.tool}</strong> wants to run (task {approval.task_id}) {done && <em>— {approval.status}</em>}
      </p>
      <JsonView value={approval.arguments} />
      {!done && (
        <div class="approval-actions">
          <label>
            Reason <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="optional" />
          </label>
          <button type="button" class="primary" disabled={busy} onClick={() => decide("approve")}>
            Approve
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => decide("deny")}>
            Deny
          </button>
        </div>
      )}
      {error && <p class="error-note">{error}</p>}
    </div>
  );
}
