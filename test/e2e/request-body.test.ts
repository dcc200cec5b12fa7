/**
 * A body over the size limit sent without a length (`Transfer-Encoding: chunked`) is refused
 * with 413 and disturbs nothing: the requests after it, on whatever connection, are served as
 * usual.
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { api } from "./client";

/** Streams `bytes` of body in chunks, never declaring a length; resolves with the status. */
function chunkedPost(url: string, apiKey: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

const noopChain = { id: "after-413", tasks: [{ id: "a", handler: "noop" }] };

describe("an oversized chunked body", () => {
  for (const path of ["/runs", "/v1/chat/completions"]) {
    it(`gets 413 on ${path}, and the requests after it are served normally`, async () => {
      const client = api();
      for (let attempt = 0; attempt < 3; attempt++) {
        const refused = await chunkedPost(`${client.baseUrl}${path}`, client.apiKey, 3 * 1024 * 1024);
        expect(refused.status).toBe(413);
        expect(refused.body).toContain("larger than");
        const next = await client.post("/runs?wait=true", { chain: noopChain, input: `after ${attempt}` });
        expect(next.status).toBe(200);
        expect(next.body).toMatchObject({ status: "succeeded", output: `after ${attempt}` });
        expect((await client.get("/health")).status).toBe(200);
      }
    });
  }
});
