import type { Now } from "../clock.js";
import type { WorkspaceStore } from "../state/store.js";

/** What the presenters need to turn records into Slack's JSON. */
export interface PresentContext {
  store: WorkspaceStore;
  app: { id: string; name: string };
  /** The emulator's base URL (`http://127.0.0.1:port`), for file and permalink URLs. */
  baseUrl: string;
  now: Now;
}
