/**
 * Code, syntax-highlighted by highlight.js (core with only the languages the console shows, to
 * keep the bundle small), split into lines so views can put things beside a line.
 */
import hljs from "highlight.js/lib/core";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";

hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);

export type Language = "javascript" | "json";

/** The highlighted HTML of each line; a token spanning lines is closed and reopened at each break. */
export function highlightLines(code: string, language: Language): string[] {
  const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  const lines: string[] = [];
  const open: string[] = [];
  let line = "";
  for (const part of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (part === "\n") {
      lines.push(line + "</span>".repeat(open.length));
      line = open.join("");
    } else {
      if (part.startsWith("<span")) open.push(part);
      else if (part === "</span>") open.pop();
      line += part;
    }
  }
  lines.push(line);
  return lines;
}

/** A block of highlighted code with line numbers. */
export function CodeView({ code, language }: { code: string; language: Language }) {
  return (
    <pre class="code">
      {highlightLines(code, language).map((html, i) => (
        <div class="code-line" key={i}>
          <span class="line-no">{i + 1}</span>
          <code dangerouslySetInnerHTML={{ __html: html || " " }} />
        </div>
      ))}
    </pre>
  );
}
