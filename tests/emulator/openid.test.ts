import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";

/**
 * The emulator's Sign in with Slack (OpenID Connect): the authorize page signs in as the person the
 * browser is signed in as (or lets them pick), and the real WebClient's openid.connect.token and
 * openid.connect.userInfo answer with Slack's claims.
 */
describe("Sign in with Slack", () => {
  let slack: SlackEmulator;
  const redirectUri = "http://127.0.0.1:9/after";

  beforeAll(async () => {
    slack = await startSlackEmulator();
  });
  afterAll(async () => {
    await slack?.close();
  });

  const client = (token?: string) =>
    new webApi.WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

  function authorizeUrl(extra: Record<string, string> = {}): string {
    const url = new URL(slack.openIdAuthorizeUrl);
    url.search = new URLSearchParams({
      response_type: "code",
      scope: "openid email",
      client_id: slack.clientId,
      redirect_uri: redirectUri,
      state: "state-1",
      nonce: "nonce-1",
      ...extra,
    }).toString();
    return url.href;
  }

  async function signedInCookie(userId: string): Promise<string> {
    const response = await fetch(slack.signInUrl(userId));
    expect(response.status).toBe(200);
    return (response.headers.get("set-cookie") ?? "").split(";")[0]!;
  }

  it("issues a code for the signed-in person, exchanged once for an id_token with Slack's claims", async () => {
    const cookie = await signedInCookie(slack.users.bob.id);
    const authorized = await fetch(authorizeUrl(), { redirect: "manual", headers: { cookie } });
    expect(authorized.status).toBe(302);
    const back = new URL(authorized.headers.get("location")!);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("state-1");
    const code = back.searchParams.get("code")!;

    const wrongSecret = client().openid.connect.token({
      client_id: slack.clientId,
      client_secret: "not-the-secret",
      code,
      redirect_uri: redirectUri,
    });
    await expect(wrongSecret).rejects.toThrow("bad_client_secret");
    const exchange = {
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      code,
      redirect_uri: redirectUri,
    };
    const answer = await client().openid.connect.token(exchange);
    const claims = JSON.parse(Buffer.from(answer.id_token!.split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: "https://slack.com",
      aud: slack.clientId,
      nonce: "nonce-1",
      "https://slack.com/user_id": slack.users.bob.id,
      "https://slack.com/team_id": slack.teamId,
      email: "bob@example.com",
    });
    await expect(client().openid.connect.token(exchange)).rejects.toThrow("invalid_code");

    const info = await client(answer.access_token).openid.connect.userInfo();
    expect(info).toMatchObject({ "https://slack.com/user_id": slack.users.bob.id, email: "bob@example.com" });
    await expect(client("xoxp-unknown").openid.connect.userInfo()).rejects.toThrow("invalid_auth");
  });

  it("asks who you are when nobody is signed in, and refuses an unknown client", async () => {
    const chooser = await fetch(authorizeUrl(), { redirect: "manual" });
    expect(chooser.status).toBe(200);
    const page = await chooser.text();
    expect(page).toContain(slack.users.carol.realName);
    const pick = /href="([^"]*as=([A-Z0-9]+)[^"]*)"/.exec(page.replaceAll("&amp;", "&"));
    const chosen = await fetch(new URL(pick![1]!, slack.url), { redirect: "manual" });
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("set-cookie")).toContain(pick![2]!);

    const stranger = await fetch(authorizeUrl({ client_id: "someone-else" }), { redirect: "manual" });
    expect(stranger.status).toBe(400);
  });
});
