// Evidence tables in the page's words (issue 27): a field's unit is in its value ("9.8 s"), so
// a heading drops the `_ms` the API names it with; instants are shown in the page's clock.

/** "recovered_in_ms" -> "recovered in"; "docker_ok" -> "docker ok". */
export const evidenceHeading = (key: string) => key.replace(/[_ ]ms$/, "").replace(/_/g, " ");

/** A value that is an ISO-8601 instant with its zone (`*_at`, `first_seen`…): the page's clock shows it. */
export const isInstantField = (_key: string, value: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(value) &&
  !Number.isNaN(Date.parse(value));
