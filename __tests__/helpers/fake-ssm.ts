import * as http from "http";
import type { AddressInfo } from "net";

/**
 * A stand-in for SSM Parameter Store on loopback, enough for the provider's `aws_ssm_parameter` data source: it
 * answers GetParameter (AWS JSON 1.1 protocol) from a map the test sets, so a plan reads what CI would have written.
 * Point the provider at it with AWS_ENDPOINT_URL_SSM (no request leaves the machine; signatures are not checked).
 */
export class FakeSsm {
  readonly parameters = new Map<string, string>();
  readonly reads: string[] = [];
  private server?: http.Server;
  url = "";

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        const name = (JSON.parse(body || "{}") as { Name?: string }).Name ?? "";
        this.reads.push(name);
        const value = this.parameters.get(name);
        res.setHeader("Content-Type", "application/x-amz-json-1.1");
        if (target !== "AmazonSSM.GetParameter" || value === undefined) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: "ParameterNotFound", message: `no parameter ${name}` }));
          return;
        }
        res.end(
          JSON.stringify({
            Parameter: {
              Name: name,
              Type: "String",
              Value: value,
              Version: 2,
              DataType: "text",
              ARN: `arn:aws:ssm:ap-northeast-1:123456789012:parameter${name}`,
              LastModifiedDate: 1735689600,
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
