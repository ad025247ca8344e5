import { trafficListeners } from "../listeners";
import { documented, type DeploymentRule } from "./types";

/** CodeDeploy's constraints on an ECS blue/green deployment group, as this project builds it. */
export const BLUE_GREEN_RULES: readonly DeploymentRule[] = [
  {
    id: "codedeploy-one-production-route",
    concern: "blue/green",
    refuses:
      "CreateDeploymentGroup: a target group pair's prodTrafficRoute takes one listener ARN (listenerArns is an array of at most one); two production listeners are refused",
    source: documented("https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoute.html"),
    each: (d, report) => {
      const lb = d.spec.loadBalancer;
      const blueGreen = d.spec.services.findIndex((s) => s.blueGreen);
      if (!lb || blueGreen < 0) return;
      const routes = trafficListeners(lb);
      if (routes.length > 1) {
        report(
          "loadBalancer.http.redirectToHttps",
          lb.http?.redirectToHttps ?? false,
          `leaves two production routes (HTTPS ${lb.https?.port} and HTTP ${lb.http?.port}) for the blue/green services[${blueGreen}]; CodeDeploy switches exactly one production listener. Fix: redirect HTTP to HTTPS (loadBalancer.http.redirectToHttps: true) or drop one of the listeners`,
        );
      }
    },
  },
];
