/** A table with column headings, scrolling sideways inside its own box when it is wider than the page. */
import type { ComponentChildren } from "preact";

interface Props {
  heads: string[];
  children: ComponentChildren;
  class?: string;
}

export function Table({ heads, children, class: className }: Props) {
  return (
    <div class={`table-wrap${className ? ` ${className}-wrap` : ""}`}>
      <table class={className}>
        <thead>
          <tr>
            {heads.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
