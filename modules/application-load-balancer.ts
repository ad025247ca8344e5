import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";

export interface ApplicationLoadBalancerProps {
  /** At most 32 characters. */
  readonly name: string;
  /** Internal (VPC only) or internet-facing. */
  readonly internal: boolean;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Seconds. Default: 60. */
  readonly idleTimeout?: number;
  /** ELB.6. Default: false. */
  readonly deletionProtection?: boolean;
  /** Plain HTTP listener. Default: none. */
  readonly http?: { readonly port: number; readonly redirectToHttps: boolean };
  /** HTTPS listener. Default: none. */
  readonly https?: { readonly port: number; readonly certificateArn: string; readonly sslPolicy: string };
  /** Target group of the listeners' default action. Default: a fixed 404 response. */
  readonly defaultTargetGroupArn?: string;
  /**
   * Blue/green: an HTTP test listener forwarding to the green target group, and listeners whose default action
   * Terraform leaves to CodeDeploy after creation (it swaps blue and green on every deployment). Default: none.
   */
  readonly blueGreen?: { readonly testPort: number; readonly greenTargetGroupArn: string };
  /** Access logs to an S3 bucket (that lets the region's ELB account write under the prefix). Default: none. */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
}

/**
 * An application load balancer that drops invalid header fields (ELB.4), with an HTTPS listener on a TLS 1.2+
 * policy and an HTTP listener that redirects to it (or forwards, when the blueprint has no certificate). The load
 * balancer takes the construct's name (`aws_lb.alb`); listeners are named by role: `aws_lb_listener.alb_https`,
 * `alb_http`, `alb_test`.
 */
export class ApplicationLoadBalancer extends Construct {
  readonly lb: Lb;
  /** Listeners that forward traffic (not the redirecting one): services add their rules to these. */
  readonly trafficListeners: LbListener[] = [];
  /** The blue/green test listener, when there is one. */
  readonly testListener?: LbListener;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    this.lb = new Lb(this, "this-lb", {
      name: props.name,
      loadBalancerType: "application",
      internal: props.internal,
      subnets: props.subnetIds,
      securityGroups: props.securityGroupIds,
      idleTimeout: props.idleTimeout ?? 60,
      enableDeletionProtection: props.deletionProtection ?? false,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      accessLogs: props.accessLogs && {
        bucket: props.accessLogs.bucket,
        prefix: props.accessLogs.prefix,
        enabled: true,
      },
    });
    const forward: LbListenerDefaultAction = props.defaultTargetGroupArn
      ? { type: "forward", targetGroupArn: props.defaultTargetGroupArn }
      : {
          type: "fixed-response",
          fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" },
        };
    // CodeDeploy owns which target group the forwarding listeners point at once a deployment has run.
    const swapped = props.blueGreen ? { ignoreChanges: ["default_action"] } : undefined;
    if (props.https) {
      this.trafficListeners.push(
        new LbListener(this, "https", {
          loadBalancerArn: this.lb.arn,
          port: props.https.port,
          protocol: "HTTPS",
          sslPolicy: props.https.sslPolicy,
          certificateArn: props.https.certificateArn,
          defaultAction: [forward],
          lifecycle: swapped,
        }),
      );
    }
    if (props.http) {
      const redirect = props.http.redirectToHttps && props.https;
      const listener = new LbListener(this, "http", {
        loadBalancerArn: this.lb.arn,
        port: props.http.port,
        protocol: "HTTP",
        defaultAction: [
          redirect
            ? {
                type: "redirect",
                redirect: { port: String(props.https!.port), protocol: "HTTPS", statusCode: "HTTP_301" },
              }
            : forward,
        ],
        lifecycle: redirect ? undefined : swapped,
      });
      if (!redirect) this.trafficListeners.push(listener);
    }
    if (props.blueGreen) {
      this.testListener = new LbListener(this, "test", {
        loadBalancerArn: this.lb.arn,
        port: props.blueGreen.testPort,
        protocol: "HTTP",
        defaultAction: [{ type: "forward", targetGroupArn: props.blueGreen.greenTargetGroupArn }],
        lifecycle: swapped,
      });
    }
  }
}
