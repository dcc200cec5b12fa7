/**
 * `API_KEYS` as keys with roles: comma-separated entries, each `key` (role `admin`) or
 * `role:key`. A key that itself holds a ":" after a role-like prefix is written `admin:<key>`.
 */
import { ADMIN_ROLE } from "../contract/types";

export interface ApiKey {
  role: string;
  key: string;
}

const ROLE_PREFIX = /^([A-Za-z][\w-]*):(.+)$/;

export function parseKeys(text: string | undefined): ApiKey[] {
  return (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = ROLE_PREFIX.exec(entry);
      return match ? { role: match[1]!, key: match[2]! } : { role: ADMIN_ROLE, key: entry };
    });
}
