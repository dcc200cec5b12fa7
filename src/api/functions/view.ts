/** The JSON shape of a function in API responses (the code only when one function is asked for). */
import type { StoredFunction } from "../../events/types";

export function functionView(fn: StoredFunction, withCode: boolean) {
  const { code, ...rest } = fn;
  return withCode ? { ...rest, code } : rest;
}
