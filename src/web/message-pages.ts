import { html, type SafeHtml } from "./html.js";
import { layout } from "./layout.js";

/** The sign-in form, and the short pages that explain a refusal. */
export function loginPage(options: {
  next: string;
  enabled: boolean;
  failed?: boolean;
  retryAfterSeconds?: number;
}): SafeHtml {
  if (!options.enabled) {
    return layout(
      "Admin pages are off",
      html`<h1>Admin pages are off</h1><p>Set <code>ADMIN_PASSWORD</code> and restart to use the run list and the queue dashboard.</p>`,
    );
  }
  return layout(
    "Sign in",
    html`<h1>Sign in</h1>
<form method="post" action="/admin/login">
  <input type="hidden" name="next" value="${options.next}">
  <p><label>Admin password <input type="password" name="password" autocomplete="current-password" required autofocus></label></p>
  ${options.failed ? html`<p class="error-message" role="alert">That password is not right.</p>` : ""}
  ${
    options.retryAfterSeconds !== undefined
      ? html`<p class="error-message" role="alert">Too many attempts: try again in ${String(options.retryAfterSeconds)} seconds.</p>`
      : ""
  }
  <p><button type="submit">Sign in</button></p>
</form>`,
  );
}

export function messagePage(title: string, message: string): SafeHtml {
  return layout(title, html`<h1>${title}</h1><p>${message}</p>`);
}
