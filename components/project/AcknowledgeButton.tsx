"use client";
// The acknowledgement form beside a finding on the project page.
import { useState } from "react";
import { useAcksQuery } from "@/lib/hooks/queries";
import { useCreateAckMutation } from "@/lib/hooks/mutations";
import type { ApiFinding } from "@/lib/contracts/state";
import { AckScope } from "./AckScope";

export /** An editor acknowledges one finding: its project, source and kind, with a reason and an expiry. */
function AcknowledgeButton({ project, finding }: { project: string; finding: ApiFinding }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [days, setDays] = useState("7");
  const [pattern, setPattern] = useState<string | null>(null);
  const ack = useCreateAckMutation();
  // The longest an acknowledgement may last is the server's (L9_ACK_MAX_DAYS).
  const maxDays = useAcksQuery(0).data?.max_days;
  if (!open) {
    return (
      <>
        {" "}
        <button type="button" className="linkish" onClick={() => setOpen(true)}>
          Acknowledge…
        </button>
      </>
    );
  }
  return (
    <form
      className="ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        const expires = new Date(Date.now() + Number(days) * 86400_000).toISOString();
        ack.mutate(
          {
            project: pattern ?? project,
            source: finding.source ?? null,
            kind: finding.kind,
            reason,
            expires_at: expires,
          },
          { onSuccess: () => setOpen(false) },
        );
      }}
    >
      <label>
        Why is this difference known?{" "}
        <input
          aria-label="Reason"
          required
          minLength={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>{" "}
      <label>
        for{" "}
        <input
          aria-label="Days"
          type="number"
          min={1}
          max={maxDays}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />{" "}
        days
      </label>{" "}
      <AckScope
        project={project}
        source={finding.source ?? null}
        kind={finding.kind}
        pattern={pattern}
        setPattern={setPattern}
      />
      <button type="submit">Acknowledge</button>
      {ack.error ? (
        <span className="error" role="alert">
          {ack.error.message}
        </span>
      ) : null}
    </form>
  );
}
