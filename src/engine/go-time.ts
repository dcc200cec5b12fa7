/**
 * Formats an instant with a Go reference-time layout (`Mon Jan 2 15:04:05 MST 2006`), the way
 * Contenox chains write `{{now:2006-01-02}}`. Always UTC: a run has no local time zone, so zone
 * elements render as UTC ("Z", "+00:00", "UTC"). The layout is split into elements exactly as
 * Go's `time.nextStdChunk` does, so anything that is not an element is copied through, just as
 * Go would print it.
 */

type Element =
  | "longYear" // 2006
  | "year" // 06
  | "longMonth" // January
  | "month" // Jan
  | "numMonth" // 1
  | "zeroMonth" // 01
  | "longWeekDay" // Monday
  | "weekDay" // Mon
  | "day" // 2
  | "underDay" // _2
  | "zeroDay" // 02
  | "underYearDay" // __2
  | "zeroYearDay" // 002
  | "hour" // 15
  | "hour12" // 3
  | "zeroHour12" // 03
  | "minute" // 4
  | "zeroMinute" // 04
  | "second" // 5
  | "zeroSecond" // 05
  | "PM" // PM
  | "pm" // pm
  | "tzName" // MST
  | "isoTz" // Z07:00 and friends: "Z" for UTC
  | "numTz"; // -07:00 and friends: "+00:00" for UTC

type Chunk =
  | { kind: "literal"; text: string }
  | { kind: "element"; element: Element; offsetShape?: string }
  | { kind: "fraction"; separator: string; digits: number; trimZeros: boolean };

export const RFC3339 = "2006-01-02T15:04:05Z07:00";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// "01" … "06": the digit after the zero picks the element.
const ZERO_PADDED: Partial<Record<string, Element>> = {
  "1": "zeroMonth",
  "2": "zeroDay",
  "3": "zeroHour12",
  "4": "zeroMinute",
  "5": "zeroSecond",
  "6": "year",
};

// Longest first, as Go tries them.
const OFFSET_SHAPES = ["070000", "07:00:00", "0700", "07:00", "07"];

/** `epochMs` rendered in UTC with a Go layout such as "2006-01-02 15:04:05". */
export function formatGoTime(epochMs: number, layout: string): string {
  const date = new Date(epochMs);
  return parseLayout(layout)
    .map((chunk) => formatChunk(chunk, date))
    .join("");
}

function parseLayout(layout: string): Chunk[] {
  const chunks: Chunk[] = [];
  let literal = "";
  let i = 0;
  while (i < layout.length) {
    const found = elementAt(layout, i);
    if (!found) {
      literal += layout[i];
      i += 1;
      continue;
    }
    if (literal) chunks.push({ kind: "literal", text: literal });
    literal = "";
    chunks.push(found.chunk);
    i += found.length;
  }
  if (literal) chunks.push({ kind: "literal", text: literal });
  return chunks;
}

/** The layout element starting at `i`, if any (Go's `nextStdChunk`, one position at a time). */
function elementAt(layout: string, i: number): { chunk: Chunk; length: number } | undefined {
  const rest = layout.slice(i);
  const element = (name: Element, length: number, offsetShape?: string) => ({
    chunk: { kind: "element" as const, element: name, offsetShape },
    length,
  });

  switch (rest[0]) {
    case "J":
      if (rest.startsWith("January")) return element("longMonth", 7);
      if (rest.startsWith("Jan")) return element("month", 3);
      return undefined;
    case "M":
      if (rest.startsWith("Monday")) return element("longWeekDay", 6);
      if (rest.startsWith("Mon")) return element("weekDay", 3);
      if (rest.startsWith("MST")) return element("tzName", 3);
      return undefined;
    case "0": {
      const name = ZERO_PADDED[rest[1] ?? ""];
      if (name) return element(name, 2);
      if (rest.startsWith("002")) return element("zeroYearDay", 3);
      return undefined;
    }
    case "1":
      return rest.startsWith("15") ? element("hour", 2) : element("numMonth", 1);
    case "2":
      return rest.startsWith("2006") ? element("longYear", 4) : element("day", 1);
    case "_":
      // "_2006" is a literal underscore before a year, not a space-padded day followed by "006".
      if (rest.startsWith("_2") && !rest.startsWith("_2006")) return element("underDay", 2);
      if (rest.startsWith("__2")) return element("underYearDay", 3);
      return undefined;
    case "3":
      return element("hour12", 1);
    case "4":
      return element("minute", 1);
    case "5":
      return element("second", 1);
    case "P":
      return rest.startsWith("PM") ? element("PM", 2) : undefined;
    case "p":
      return rest.startsWith("pm") ? element("pm", 2) : undefined;
    case "-":
    case "Z": {
      const shape = OFFSET_SHAPES.find((candidate) => rest.startsWith(candidate, 1));
      if (!shape) return undefined;
      return element(rest[0] === "Z" ? "isoTz" : "numTz", shape.length + 1, shape);
    }
    case ".":
    case ",": {
      const digit = rest[1];
      if (digit !== "0" && digit !== "9") return undefined;
      let end = 1;
      while (rest[end] === digit) end += 1;
      // Only a run of identical digits not followed by another digit is a fraction (".0001" is not).
      if (/[0-9]/.test(rest[end] ?? "")) return undefined;
      return {
        chunk: { kind: "fraction", separator: rest[0], digits: end - 1, trimZeros: digit === "9" },
        length: end,
      };
    }
    default:
      return undefined;
  }
}

function formatChunk(chunk: Chunk, date: Date): string {
  switch (chunk.kind) {
    case "literal":
      return chunk.text;
    case "fraction":
      return formatFraction(chunk, date.getUTCMilliseconds());
    case "element":
      return formatElement(chunk.element, chunk.offsetShape ?? "", date);
  }
}

function formatElement(element: Element, offsetShape: string, date: Date): string {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const hour = date.getUTCHours();
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  switch (element) {
    case "longYear":
      return pad(year, 4);
    case "year":
      return pad(Math.abs(year) % 100, 2);
    case "longMonth":
      return MONTHS[month] ?? "";
    case "month":
      return (MONTHS[month] ?? "").slice(0, 3);
    case "numMonth":
      return String(month + 1);
    case "zeroMonth":
      return pad(month + 1, 2);
    case "longWeekDay":
      return WEEKDAYS[date.getUTCDay()] ?? "";
    case "weekDay":
      return (WEEKDAYS[date.getUTCDay()] ?? "").slice(0, 3);
    case "day":
      return String(day);
    case "underDay":
      return String(day).padStart(2, " ");
    case "zeroDay":
      return pad(day, 2);
    case "underYearDay":
      return String(dayOfYear(date)).padStart(3, " ");
    case "zeroYearDay":
      return pad(dayOfYear(date), 3);
    case "hour":
      return pad(hour, 2);
    case "hour12":
      return String(hour12);
    case "zeroHour12":
      return pad(hour12, 2);
    case "minute":
      return String(date.getUTCMinutes());
    case "zeroMinute":
      return pad(date.getUTCMinutes(), 2);
    case "second":
      return String(date.getUTCSeconds());
    case "zeroSecond":
      return pad(date.getUTCSeconds(), 2);
    case "PM":
      return hour >= 12 ? "PM" : "AM";
    case "pm":
      return hour >= 12 ? "pm" : "am";
    case "tzName":
      return "UTC";
    case "isoTz":
      return "Z";
    case "numTz":
      // The shape's digits become zeros: "07:00" → "00:00", "0700" → "0000".
      return `+${offsetShape.replace(/[0-9]/g, "0")}`;
  }
}

function formatFraction(chunk: { separator: string; digits: number; trimZeros: boolean }, ms: number): string {
  // Milliseconds are all an epoch number carries; finer digits are zeros.
  let digits = String(ms).padStart(3, "0").padEnd(chunk.digits, "0").slice(0, chunk.digits);
  if (chunk.trimZeros) digits = digits.replace(/0+$/, "");
  return digits ? chunk.separator + digits : "";
}

function dayOfYear(date: Date): number {
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  const startOfDay = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return (startOfDay - startOfYear) / 86_400_000 + 1;
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, "0");
  return value < 0 ? `-${digits}` : digits;
}
