import type { BlueprintInput } from "../schema/blueprint";
import { libraryApp } from "./library-app";

/** Every application this repository deploys. Add a file, then add it here. */
export const BLUEPRINTS: readonly BlueprintInput[] = [libraryApp];
