"use client";
// Notifications: webhook channels (editors add them; a URL is never shown again after saving,
// only its redacted hint), a test button, the rules with their durations, and the delivery
// history (its errors, as classes, for editors only).
import { ruleLabel } from "@/lib/ui/words";
import { useState } from "react";
import { useNotificationsQuery } from "@/lib/hooks/queries";
import {
  useAddChannelMutation,
  useRemoveChannelMutation,
  useTestChannelMutation,
} from "@/lib/hooks/mutations";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { formatDuration } from "@/lib/ui/format";
import { Panel } from "./Panel";

export function SettingsView() {
  const q = useNotificationsQuery();
  const editor = useSessionQuery().data?.person?.editor === true;
  const add = useAddChannelMutation();
  const remove = useRemoveChannelMutation();
  const test = useTestChannelMutation();
  const [form, setForm] = useState<{ name: string; kind: "json" | "slack"; url: string }>({
    name: "",
    kind: "slack",
    url: "",
  });
  const d = q.data;
  const error = add.error ?? remove.error ?? test.error;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Notifications</h1>
      </div>
      <Panel title="Channels" loading={q.isPending} error={q.error} empty={false} emptyText="">
        {d && d.channels.length === 0 ? <p className="muted">No channel yet: nothing is sent.</p> : null}
        <table className="episodes" data-testid="channels">
          <thead>
            <tr>
              <th scope="col">name</th>
              <th scope="col">format</th>
              <th scope="col">URL</th>
              <th scope="col">added by</th>
              <th scope="col">actions</th>
            </tr>
          </thead>
          <tbody>
            {d?.channels.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.kind === "slack" ? "Slack-compatible" : "JSON"}</td>
                <td className="mono">
                  {c.url_hint}
                  {c.refused ? (
                    <span className="error" data-testid="channel-refused">
                      {" "}
                      refused: {c.refused}
                    </span>
                  ) : null}
                </td>
                <td>{c.source === "env" ? "L9_WEBHOOKS" : c.created_by}</td>
                <td>
                  {editor ? (
                    <>
                      <button type="button" onClick={() => test.mutate({ channel: c.name })}>
                        Send a test
                      </button>{" "}
                      {c.id !== null ? (
                        <button type="button" onClick={() => remove.mutate(c.id!)}>
                          Remove
                        </button>
                      ) : null}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {editor ? (
          <form
            className="set-phase"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate(form, { onSuccess: () => setForm({ name: "", kind: form.kind, url: "" }) });
            }}
          >
            <label>
              Name{" "}
              <input
                aria-label="Channel name"
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
              />
            </label>
            <label>
              Format{" "}
              <select
                aria-label="Channel format"
                value={form.kind}
                onChange={(e) => setForm({ ...form, kind: e.target.value === "json" ? "json" : "slack" })}
              >
                <option value="slack">Slack-compatible incoming webhook</option>
                <option value="json">generic JSON</option>
              </select>
            </label>
            <label>
              Webhook URL{" "}
              <input
                aria-label="Webhook URL"
                type="url"
                required
                value={form.url}
                onChange={(e) => setForm({ ...form, url: e.target.value })}
              />
            </label>
            <button type="submit">Add channel</button>
          </form>
        ) : (
          <p className="muted">Editors add and remove channels. Sign in as an editor to change them.</p>
        )}
        {error ? (
          <p className="error" role="alert">
            {error.message}
          </p>
        ) : null}
      </Panel>
      <Panel title="Rules" loading={q.isPending} error={null} empty={false} emptyText="">
        <p className="muted">
          A message goes out once a condition has held for its duration (one per episode, and one when it
          recovers), at most {d?.rate_per_min ?? "…"} a minute per channel; failed deliveries are retried
          after 1, 4 and 16 s (a refused address or a redirect is not: trying again cannot change it).
        </p>
        <ul>
          {d?.rules.map((r) => (
            <li key={r.rule}>
              <span className="kind" title={r.rule}>
                {ruleLabel(r.rule)}
              </span>{" "}
              after {formatDuration(r.after_ms)}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel
        title="Delivery history"
        loading={q.isPending}
        error={null}
        empty={!!d && d.deliveries.length === 0}
        emptyText="Nothing sent yet."
      >
        {d && !d.errors_shown ? (
          <p className="muted">Editors see why a delivery failed; others see only its outcome.</p>
        ) : null}
        <table className="episodes" data-testid="deliveries">
          <thead>
            <tr>
              <th scope="col">when (UTC)</th>
              <th scope="col">channel</th>
              <th scope="col">event</th>
              <th scope="col">message</th>
              <th scope="col">status</th>
              <th scope="col">attempts</th>
              {d?.errors_shown ? <th scope="col">error</th> : null}
            </tr>
          </thead>
          <tbody>
            {d?.deliveries.map((x) => (
              <tr key={x.id}>
                <td className="mono">{x.created_at.replace("T", " ").replace(/\.\d+Z$/, "Z")}</td>
                <td>{x.channel}</td>
                <td>{x.event}</td>
                <td>{x.message}</td>
                <td>
                  <span
                    className={`badge st-${x.status === "sent" ? "ok" : x.status === "failed" ? "unreadable" : "stale"}`}
                  >
                    {x.status}
                  </span>
                </td>
                <td>{x.attempts}</td>
                {d?.errors_shown ? <td>{x.error ?? ""}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
