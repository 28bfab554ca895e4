// Built-in notifications: channels (webhook URLs are secrets, never shown after saving),
// the delivery history, and the rules with their durations.
import { z } from "zod";

export const CHANNEL_KINDS = ["json", "slack"] as const;

/** POST /api/v1/notifications/channels */
export const addChannelSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(CHANNEL_KINDS),
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((u) => /^https?:\/\/\S+$/.test(u) && URL.canParse(u), { message: "must be an http(s) URL" }),
  })
  .strict();
export type AddChannelBody = z.input<typeof addChannelSchema>;

/** POST /api/v1/notifications/test */
export const testChannelSchema = z.object({ channel: z.string().trim().min(1).max(100) }).strict();
export type TestChannelBody = z.input<typeof testChannelSchema>;

export type ApiChannel = {
  id: number | null;
  name: string;
  kind: (typeof CHANNEL_KINDS)[number];
  /** scheme, host and the path's last characters: enough to recognise it; user, password and query never */
  url_hint: string;
  source: "env" | "app";
  created_by: string | null;
  /** the address rule its URL breaks (every delivery to it is refused), or null */
  refused: string | null;
};

export type ApiDelivery = {
  id: number;
  channel: string;
  alert: string;
  event: string;
  status: string;
  attempts: number;
  /** a class of error ("connection refused", "HTTP 401", "refused: …"), never an address; null for non-editors */
  error: string | null;
  message: string;
  created_at: string;
  updated_at: string;
};

export type ApiNotifications = {
  channels: ApiChannel[];
  deliveries: ApiDelivery[];
  rules: { rule: string; after_ms: number }[];
  rate_per_min: number;
  /** whether this reader sees delivery errors (editors do) */
  errors_shown: boolean;
};
