// People's and the fleet's text inside formats that act on punctuation: Markdown (the review
// export) and Slack's message text. Pure.

/** A Markdown line start: leading blanks, then a list, setext or ordered-list marker. */
const LINE_START = /^([ \t]*)([-+=]|\d{1,9}[.)])/gm;

/**
 * Text as literal Markdown. Punctuation Markdown acts on is backslash-escaped (CommonMark lets
 * any ASCII punctuation be), `&` only where it would start an entity, `_` unless inside a word
 * (where it cannot emphasise), and a marker at a line's start, so it all stays text. `inline` (names, table cells, list items) also turns line
 * breaks into spaces, so a value can neither end a table row nor start a list; `block` (notes)
 * keeps them.
 */
export function escapeMarkdown(text: string, mode: "inline" | "block" = "inline"): string {
  const flat = mode === "inline" ? text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ") : text;
  return flat
    .replace(/[\\`*[\]<>#|~!]|&(?=#?[A-Za-z0-9]+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&")
    .replace(LINE_START, (_m, sp: string, mark: string) => `${sp}${mark.replace(/[-+=.)]/, "\\$&")}`);
}

/** Text for Slack's `text` field: `&`, `<` and `>` as Slack asks, so `<!channel>` or `<url|label>` stay text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A URL inside Slack's `<url|label>`: escaped as text, and `|` encoded so it cannot start the label. */
export function slackLinkUrl(url: string): string {
  return escapeSlack(url).replace(/\|/g, "%7C");
}
