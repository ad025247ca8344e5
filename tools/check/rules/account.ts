import type { Rule } from "../types";
import { attachedTo, block } from "../resources";

/** Account-wide detection and recording (the account-baseline stack). */
export const ACCOUNT_RULES: Rule[] = [
  {
    id: "guardduty-enabled",
    title: "GuardDuty detectors are enabled",
    severity: "high",
    resourceType: "aws_guardduty_detector",
    checkov: [],
    fsbp: "GuardDuty.1",
    note: "A detector created suspended (enable = false) detects nothing and still looks present.",
    check: (detector) => (detector.enable === false ? "the detector is suspended (enable = false)" : undefined),
  },
  {
    id: "config-recording",
    title: "AWS Config recorders record every supported resource type and are switched on",
    severity: "medium",
    resourceType: "aws_config_configuration_recorder",
    checkov: [],
    fsbp: "Config.1",
    note: "FSBP Config.1 also asks for the service-linked role; the recorder here has a role of its own (AWS_ConfigRole), which this rule does not judge.",
    check: (recorder, ctx, name) => {
      const group = block(recorder.recording_group);
      if (group?.all_supported === false) return "records only some resource types (all_supported = false)";
      if (group?.resource_types?.length) return "records a list of resource types instead of every supported one";
      const status = attachedTo(ctx, "aws_config_configuration_recorder_status", "name", {
        type: "aws_config_configuration_recorder",
        name,
      });
      return status.some((s) => s.is_enabled === true)
        ? undefined
        : "no aws_config_configuration_recorder_status switches it on (a recorder is created stopped)";
    },
  },
];
