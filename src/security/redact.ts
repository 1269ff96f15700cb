import type { Config } from "../config/index.js";

/**
 * Removes secrets from text before it is logged, traced or exported: the configured secret values
 * themselves, and anything shaped like a well-known token (Slack, OpenAI-style and Anthropic keys,
 * bearer headers, Google OAuth tokens, private keys).
 */
const patterns: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{8,}/g,
  /xapp-[A-Za-z0-9-]{8,}/g,
  /sk-(?:ant-)?[A-Za-z0-9_-]{16,}/g,
  /ya29\.[A-Za-z0-9._-]{16,}/g,
  /1\/\/[A-Za-z0-9_-]{30,}/g,
  /(?<=[Bb]earer\s)[A-Za-z0-9._~+/-]{16,}=*/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export type Redactor = (text: string) => string;

/** Every secret value in the configuration. */
export function configuredSecrets(config: Config): Array<string | undefined> {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.slack.clientSecret,
    config.model?.apiKey,
    config.encryptionKey,
    config.google?.clientSecret,
    config.tools.web.searchApiKey,
  ];
}

export function createRedactor(secrets: Array<string | undefined>): Redactor {
  const known = secrets.filter(
    (secret): secret is string => typeof secret === "string" && secret.length >= 8,
  );
  known.sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const secret of known) result = result.split(secret).join("[redacted]");
    for (const pattern of patterns) result = result.replace(pattern, "[redacted]");
    return result;
  };
}

/** Redacts every string inside a JSON value. */
export function redactJson<T>(value: T, redact: Redactor): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
