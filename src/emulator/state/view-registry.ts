import type { ChangeFeed } from "./change-feed.js";
import type { View } from "./types.js";

/** Modals (a stack per user, at most 3 deep) and App Home tabs (one per user). */
export class ViewRegistry {
  private readonly views = new Map<string, View>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();

  constructor(private readonly feed: ChangeFeed) {}

  get(id: string): View | undefined {
    return this.views.get(id);
  }

  byExternalId(teamId: string, externalId: string): View | undefined {
    return [...this.views.values()].find(
      (view) =>
        view.teamId === teamId && view.externalId === externalId && (view.open || view.kind === "home"),
    );
  }

  all(filter: { teamId?: string; userId?: string; open?: boolean } = {}): View[] {
    return [...this.views.values()].filter(
      (view) =>
        (filter.teamId === undefined || view.teamId === filter.teamId) &&
        (filter.userId === undefined || view.userId === filter.userId) &&
        (filter.open === undefined || view.open === filter.open),
    );
  }

  /** The user's open modals, bottom first. */
  stack(teamId: string, userId: string): View[] {
    return (this.stacks.get(`${teamId}:${userId}`) ?? []).flatMap((id) => this.views.get(id) ?? []);
  }

  /** Opens a modal on top of the user's stack (views.open starts a new stack). */
  openModal(view: View, options: { push: boolean }): View {
    const key = `${view.teamId}:${view.userId}`;
    if (!options.push) {
      for (const existing of this.stack(view.teamId, view.userId)) this.markClosed(existing);
      this.stacks.set(key, []);
    }
    this.views.set(view.id, view);
    this.stacks.set(key, [...(this.stacks.get(key) ?? []), view.id]);
    this.feed.emit({ type: "view_opened", view });
    return view;
  }

  update(view: View, changes: Partial<View>): View {
    Object.assign(view, changes);
    this.feed.emit({ type: view.kind === "home" ? "home_published" : "view_updated", view });
    return view;
  }

  /** Closes one modal (and those pushed above it). */
  close(view: View): void {
    const key = `${view.teamId}:${view.userId}`;
    const ids = this.stacks.get(key) ?? [];
    const index = ids.indexOf(view.id);
    if (index === -1) {
      this.markClosed(view);
      return;
    }
    for (const id of ids.slice(index).reverse()) {
      const closing = this.views.get(id);
      if (closing) this.markClosed(closing);
    }
    this.stacks.set(key, ids.slice(0, index));
  }

  closeAll(teamId: string, userId: string): void {
    const [root] = this.stack(teamId, userId);
    if (root) this.close(root);
  }

  home(teamId: string, userId: string): View | undefined {
    const id = this.homes.get(`${teamId}:${userId}`);
    return id ? this.views.get(id) : undefined;
  }

  publishHome(view: View): View {
    this.views.set(view.id, view);
    this.homes.set(`${view.teamId}:${view.userId}`, view.id);
    this.feed.emit({ type: "home_published", view });
    return view;
  }

  private markClosed(view: View): void {
    if (!view.open) return;
    view.open = false;
    this.feed.emit({ type: "view_closed", view });
  }
}
