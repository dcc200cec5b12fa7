/**
 * Splitting long text into pieces a storage row can hold, without cutting a surrogate pair:
 * half of one is not valid UTF-8, and SQLite would store it as a replacement character.
 */
export function splitText(text: string, units: number): string[] {
  const parts: string[] = [];
  let start = 0;
  do {
    let end = Math.min(start + units, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - 1 > start && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(text.slice(start, end));
    start = end;
  } while (start < text.length);
  return parts;
}
