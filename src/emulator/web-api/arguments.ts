import { missingArgument, SlackMethodError } from "./method-error.js";

/**
 * A method's arguments as they arrived: form fields are strings (objects JSON-encoded in them,
 * as @slack/web-api sends), JSON bodies are typed. The accessors accept both.
 */
export class MethodArguments {
  constructor(readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== "";
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    return typeof value === "string" ? value : String(value);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw missingArgument(name);
    return value;
  }

  boolean(name: string, fallback = false): boolean {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return fallback;
    return value === true || value === "true" || value === "1" || value === 1;
  }

  number(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) {
      throw new SlackMethodError("invalid_arguments", [`[ERROR] ${name} must be a number`]);
    }
    return parsed;
  }

  /**
   * A JSON argument (blocks, metadata, view, ...): parsed from a string, or taken as sent.
   * `onInvalid` is the error Slack answers when the string is not JSON.
   */
  json(name: string, onInvalid: string): unknown {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      throw new SlackMethodError(onInvalid, [`[ERROR] ${name} is not valid JSON`]);
    }
  }

  /** A comma-separated list (`users=U1,U2`) or an array. */
  list(name: string): string[] {
    const value = this.raw[name];
    if (Array.isArray(value)) return value.map(String);
    const text = this.string(name);
    return text
      ? text
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)
      : [];
  }
}
