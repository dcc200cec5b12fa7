/**
 * The Worker the `workers` test project runs its tests in: one SQLite-backed Durable Object
 * with no behaviour of its own, so a test can reach real Durable Object storage through
 * `runInDurableObject` and build the module under test over it.
 */
import { DurableObject } from "cloudflare:workers";

export class StorageObject extends DurableObject {}
