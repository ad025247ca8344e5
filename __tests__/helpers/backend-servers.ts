import * as http from "http";
import type { AddressInfo } from "net";

/**
 * Real state-backend servers on loopback for the integration tests: s3rver (S3, objects on disk) and dynalite
 * (DynamoDB on LevelDB), each on a free port of 127.0.0.1, plus a small proxy that adds the one S3 behaviour s3rver
 * lacks (412 for a conditional PUT on an existing key), and the few raw API calls the tests need.
 */

/** s3rver's built-in test key pair (its documented default; it checks the key id, not v4 signatures). */
export const S3RVER_TEST_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_EC2_METADATA_DISABLED: "true",
};

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

// Neither package ships type declarations: the slices used here.
interface S3rverInstance {
  readonly httpServer: http.Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance;
type Dynalite = (options: Record<string, unknown>) => http.Server;

export async function startS3rver(directory: string): Promise<RunningServer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require("s3rver") as S3rverCtor;
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, vhostBuckets: false });
  const address = await server.run();
  surviveClientCrashes(server.httpServer);
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

export async function startDynalite(directory: string): Promise<RunningServer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require("dynalite") as Dynalite;
  const server = dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  surviveClientCrashes(server);
  return { url: await listen(server), close: () => closeServer(server) };
}

/**
 * A proxy in front of s3rver that enforces `If-None-Match: *` on PUT (the condition S3 native state locking relies
 * on): when the key exists it answers 412 PreconditionFailed as S3 does, otherwise it forwards. Conditional PUTs are
 * handled one at a time so that check-then-write cannot interleave. `refused` counts the 412s.
 */
export async function startConditionalPutProxy(
  s3Url: string,
): Promise<RunningServer & { readonly refused: () => number }> {
  const target = new URL(s3Url);
  let refused = 0;
  let queue: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    if (req.method !== "PUT" || req.headers["if-none-match"] !== "*") return forward(target, req, res);
    queue = queue.then(async () => {
      if (await objectExists(target, req)) {
        refused++;
        req.resume();
        res.writeHead(412, { "Content-Type": "application/xml" });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
            "<Message>At least one of the pre-conditions you specified did not hold</Message>" +
            "<Condition>If-None-Match</Condition></Error>",
        );
      } else {
        await new Promise<void>((done) => forward(target, req, res, done));
      }
    });
  });
  surviveClientCrashes(server);
  return { url: await listen(server), close: () => closeServer(server), refused: () => refused };
}

function forward(target: URL, req: http.IncomingMessage, res: http.ServerResponse, done?: () => void): void {
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("end", () => done?.());
    },
  );
  upstream.on("error", (e) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502);
    res.end(String(e));
    done?.();
  });
  req.pipe(upstream);
}

function objectExists(target: URL, req: http.IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const head = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: "HEAD",
        path: req.url,
        headers: {
          authorization: req.headers.authorization ?? "",
          "x-amz-date": req.headers["x-amz-date"] ?? "",
          "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        },
      },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode === 200);
      },
    );
    head.on("error", () => resolve(false));
    head.end();
  });
}

/**
 * A client killed mid-request (the crash test does that to Terraform) makes Node emit "aborted" on the request; a
 * server must shrug that off, not throw it into the test process.
 */
function surviveClientCrashes(server: http.Server): void {
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.on("error", () => undefined);
    res.on("error", () => undefined);
  });
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `X-Amz-Date` of now: both servers refuse requests dated too far from their clock. */
function amzDate(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
}

/** S3 path-style request with s3rver's test key (s3rver checks the key id only). */
export function s3Request(
  s3Url: string,
  method: string,
  objectPath: string,
): Promise<{ status: number; body: string }> {
  return fetch(`${s3Url}/${objectPath}`, {
    method,
    headers: {
      authorization:
        "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/ap-northeast-1/s3/aws4_request, SignedHeaders=host, Signature=0",
      "x-amz-date": amzDate(),
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    },
  }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

/** One call of DynamoDB's JSON API (dynalite checks that a signature is present, not that it is right). */
export async function dynamoCall<T = Record<string, unknown>>(
  dynamoUrl: string,
  action: string,
  body: object,
): Promise<T> {
  const response = await fetch(dynamoUrl, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${action}`,
      "x-amz-date": amzDate(),
      authorization:
        "AWS4-HMAC-SHA256 Credential=test/20260101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0",
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`DynamoDB ${action}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The lock table Terraform's S3 backend expects: string hash key LockID. */
export function createLockTable(dynamoUrl: string, table: string): Promise<unknown> {
  return dynamoCall(dynamoUrl, "CreateTable", {
    TableName: table,
    AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
}

export interface LockItem {
  readonly lockId: string;
  /** Terraform's lock info (ID, Operation, Who, ...) when the item is a lock, not a state digest. */
  readonly info?: { ID: string; Operation: string; Who: string; Path: string };
}

export async function scanLockTable(dynamoUrl: string, table: string): Promise<LockItem[]> {
  const result = await dynamoCall<{ Items: Record<string, { S: string }>[] }>(dynamoUrl, "Scan", { TableName: table });
  return result.Items.map((item) => ({
    lockId: item.LockID.S,
    info: item.Info ? JSON.parse(item.Info.S) : undefined,
  }));
}
