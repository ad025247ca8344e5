import { COMPUTE_PRICERS } from "./compute";
import { DATA_PRICERS } from "./data";
import { FREE_TYPES } from "./free";
import { NETWORK_PRICERS } from "./network";
import { OBSERVABILITY_PRICERS } from "./observability";
import { SECURITY_PRICERS } from "./security";
import { HOST_AND_EDGE_PRICERS } from "./hosts-and-edge";
import { ACCOUNT_BASELINE_PRICERS } from "./account-baseline";
import type { Pricer } from "./types";

/** Every resource type with a cost model. A type in neither this nor FREE_TYPES is reported as not modeled. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  ...COMPUTE_PRICERS,
  ...NETWORK_PRICERS,
  ...OBSERVABILITY_PRICERS,
  ...DATA_PRICERS,
  ...SECURITY_PRICERS,
  ...HOST_AND_EDGE_PRICERS,
  ...ACCOUNT_BASELINE_PRICERS,
};

export { FREE_TYPES };
