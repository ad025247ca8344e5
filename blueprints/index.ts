import type { BlueprintInput } from "../schema/blueprint";
import { libraryApp } from "./library-app";
import { textMessaging } from "./text-messaging";
import { callbackHandler } from "./callback-handler";
import { fastapiAurora } from "./fastapi-aurora";
import { markmail } from "./markmail";

/** Every application this repository deploys. Add a file, then add it here. */
export const BLUEPRINTS: readonly BlueprintInput[] = [
  libraryApp,
  textMessaging,
  callbackHandler,
  fastapiAurora,
  markmail,
];
