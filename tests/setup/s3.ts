/**
 * A real S3-compatible server (s3rver) on a free loopback port, its objects in a temporary folder,
 * with one bucket. Started and stopped by the test that needs it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// s3rver ships no types.
// @ts-expect-error no declaration file
import S3rver from "s3rver";

export interface S3Server {
  endpoint: string;
  bucket: string;
  directory: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startS3(bucket = "cnnt-test"): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cnnt-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: "us-east-1", S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER" },
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
