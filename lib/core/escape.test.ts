import { describe, expect, test } from "vitest";
import { escapeMarkdown, escapeSlack, slackLinkUrl } from "./escape";

describe("escapeMarkdown: hostile text stays text", () => {
  test.each([
    ["HTML tag", `<img src=x onerror="alert(1)">`, `\\<img src=x onerror="alert(1)"\\>`],
    ["script tag", "<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"],
    ["HTML comment", "<!-- hidden -->", "\\<\\!-- hidden --\\>"],
    ["link", "[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["image", "![p](http://evil/p.png)", "\\!\\[p\\](http://evil/p.png)"],
    ["reference definition", "[a]: http://evil", "\\[a\\]: http://evil"],
    ["autolink", "<http://evil.example>", "\\<http://evil.example\\>"],
    ["email autolink", "<ana@example.test>", "\\<ana@example.test\\>"],
    ["backticks", "`code` and ```fence", "\\`code\\` and \\`\\`\\`fence"],
    ["emphasis", "*bold* _it_ **b** ~~s~~", "\\*bold\\* \\_it\\_ \\*\\*b\\*\\* \\~\\~s\\~\\~"],
    ["heading at line start", "# Approved", "\\# Approved"],
    ["blockquote", "> quoted", "\\> quoted"],
    ["bullet", "- item", "\\- item"],
    ["plus bullet", "+ item", "\\+ item"],
    ["ordered list", "1. first", "1\\. first"],
    ["ordered list with paren", "12) twelfth", "12\\) twelfth"],
    ["thematic break", "---", "\\---"],
    ["setext underline", "===", "\\==="],
    ["pipe in a table cell", "a | b", "a \\| b"],
    ["entity", "&lt;b&gt; &#106;", "\\&lt;b\\&gt; \\&\\#106;"],
    ["plain ampersand", "R&D", "R&D"],
    ["backslash", "a\\*b", "a\\\\\\*b"],
    ["task box", "[ ] done", "\\[ \\] done"],
    ["underscores inside a word", "container_registry snake_case_name", "container_registry snake_case_name"],
    ["underscores at a word's edge", "_x_ a_ _b", "\\_x\\_ a\\_ \\_b"],
    ["plain text", "alpha-1.example, 5.0% (ok)", "alpha-1.example, 5.0% (ok)"],
  ])("%s", (_name, raw, escaped) => {
    expect(escapeMarkdown(raw)).toBe(escaped);
  });

  test.each([
    ["a newline that would end a table row", "a\n| x | y |", "a \\| x \\| y \\|"],
    ["a newline that would start a list", "ana\n- mallory", "ana - mallory"],
    ["a newline that would start a heading", "ana\r\n# root", "ana \\# root"],
    ["a carriage return", "a\rb", "a b"],
    ["a Unicode line separator", "a\u2028b", "a b"],
  ])("inline: %s", (_name, raw, escaped) => {
    expect(escapeMarkdown(raw, "inline")).toBe(escaped);
  });

  test.each([
    ["every line's start", "ok\n# h\n- l\n  2. n\n> q", "ok\n\\# h\n\\- l\n  2\\. n\n\\> q"],
    ["a setext heading underline", "Title\n===", "Title\n\\==="],
  ])("block keeps line breaks and escapes %s", (_name, raw, escaped) => {
    expect(escapeMarkdown(raw, "block")).toBe(escaped);
  });
});

describe("escapeSlack", () => {
  test.each([
    ["a mention of everyone", "<!channel> look", "&lt;!channel&gt; look"],
    ["a forged link", "<http://evil|Open in L9 State Health>", "&lt;http://evil|Open in L9 State Health&gt;"],
    ["a user mention", "<@U123>", "&lt;@U123&gt;"],
    ["an ampersand first", "a &amp; b < c", "a &amp;amp; b &lt; c"],
    ["plain text", "Project alpha is diverged", "Project alpha is diverged"],
  ])("%s", (_name, raw, escaped) => {
    expect(escapeSlack(raw)).toBe(escaped);
  });

  test("a link URL cannot carry a label or close the link", () => {
    expect(slackLinkUrl("http://h/p?a=1&b=<x>|y")).toBe("http://h/p?a=1&amp;b=&lt;x&gt;%7Cy");
  });
});
