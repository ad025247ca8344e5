import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";

/**
 * One metric of a graph, in the dashboard body's own form: namespace, metric name, then dimension name/value pairs,
 * and optionally a trailing object of rendering options (`{ stat: "p95", label: "..." }`).
 */
export type DashboardMetric = readonly (string | Readonly<Record<string, string>>)[];

export type DashboardWidget =
  | {
      readonly kind: "graph";
      readonly title: string;
      readonly metrics: readonly DashboardMetric[];
      /** Default: Average. */
      readonly stat?: string;
    }
  | { readonly kind: "alarms"; readonly title: string; readonly alarmArns: readonly string[] };

export interface DashboardProps {
  readonly name: string;
  /** Region of the metrics. */
  readonly region: string;
  /** Seconds per data point. */
  readonly period: number;
  /** In reading order; laid out two to a row. */
  readonly widgets: readonly DashboardWidget[];
}

const WIDTH = 12;
const HEIGHT = 6;

/**
 * A CloudWatch dashboard whose body is structured data encoded by Terraform (`jsonencode`), so metric dimensions
 * can be values other stacks publish and the JSON and HCL forms of the stack say the same. Widgets fill a 24-column
 * grid two to a row; a widget with nothing to show is left out.
 */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const shown = props.widgets.filter((w) => (w.kind === "graph" ? w.metrics.length > 0 : w.alarmArns.length > 0));
    const widgets = shown.map((w, i) => ({
      type: w.kind === "graph" ? "metric" : "alarm",
      x: (i % 2) * WIDTH,
      y: Math.floor(i / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties:
        w.kind === "graph"
          ? {
              title: w.title,
              view: "timeSeries",
              stacked: false,
              region: props.region,
              period: props.period,
              stat: w.stat ?? "Average",
              metrics: w.metrics.map((m) => [...m]),
            }
          : { title: w.title, alarms: [...w.alarmArns] },
    }));
    this.dashboard = new CloudwatchDashboard(this, "this-dashboard", {
      dashboardName: props.name,
      dashboardBody: Fn.jsonencode({ widgets }),
    });
  }
}
