"use client";
// Known differences in force, on the overview: what is muted, why, by whom, until when; a
// banner for those that expire within a day (then their findings count as new again).
import { useAcksQuery } from "@/lib/hooks/queries";
import { useEndAckMutation, useUpdateAckMutation } from "@/lib/hooks/mutations";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { Panel } from "./Panel";
import { Time } from "./Time";

const DAY_MS = 86400_000;

export function AcksPanel({ refreshMs, now }: { refreshMs: number; now: Date }) {
  const q = useAcksQuery(refreshMs);
  const editor = useSessionQuery().data?.person?.editor === true;
  const end = useEndAckMutation();
  const update = useUpdateAckMutation();
  const acks = q.data?.in_force ?? [];
  if (!q.data || acks.length === 0) return null;
  const maxDays = q.data.max_days;
  // Extend by a week, never past the longest an acknowledgement may last from now.
  const extended = (expiresAt: string) =>
    new Date(
      Math.min(Date.parse(expiresAt) + 7 * DAY_MS, now.getTime() + maxDays * DAY_MS - 60_000),
    ).toISOString();
  const expiring = acks.filter((a) => Date.parse(a.expiresAt) - now.getTime() < DAY_MS);
  return (
    <Panel
      title={`Acknowledged differences (${acks.length} in force)`}
      loading={false}
      error={q.error}
      empty={false}
      emptyText=""
    >
      {(update.error ?? end.error) ? (
        <p className="error" role="alert">
          {(update.error ?? end.error)?.message}
        </p>
      ) : null}
      {expiring.length ? (
        <p className="banner banner-warn" role="status" data-testid="acks-expiring">
          {expiring.length} acknowledgement{expiring.length > 1 ? "s expire" : " expires"} within a day: their
          findings will count as new again unless extended.
        </p>
      ) : null}
      <p className="muted">
        Acknowledged findings stay visible (muted) and recorded; the gate uses the raw divergence rate unless
        a review accepts them.
      </p>
      <table className="episodes" data-testid="acks-table">
        <thead>
          <tr>
            <th scope="col">project</th>
            <th scope="col">source</th>
            <th scope="col">kind</th>
            <th scope="col">reason</th>
            <th scope="col">owner</th>
            <th scope="col">expires</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {acks.map((a) => (
            <tr key={a.id}>
              <td className="mono">{a.project}</td>
              <td className="mono">{a.source ?? "any"}</td>
              <td>{a.kind ?? "any"}</td>
              <td>{a.reason}</td>
              <td>{a.owner}</td>
              <td>
                <Time at={a.expiresAt} />
              </td>
              <td>
                {editor ? (
                  <>
                    <button
                      type="button"
                      className="linkish"
                      onClick={() => update.mutate({ id: a.id, body: { expires_at: extended(a.expiresAt) } })}
                    >
                      Extend a week
                    </button>{" "}
                    <button type="button" className="linkish" onClick={() => end.mutate(a.id)}>
                      End now
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
