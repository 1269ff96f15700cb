import type { ApprovalPrompt, RunProgress, RunThread, ThreadMessageKind } from "./thread.js";

/**
 * An in-memory conversation surface: records what a run posts, once per key. For benchmarks and for
 * harness tests that do not need Slack.
 */
export interface RecordingThread extends RunThread {
  posts: Array<{ key: string; kind: ThreadMessageKind; text: string; ts: string }>;
  approvals: Array<{ key: string; prompt: ApprovalPrompt; ts: string }>;
  privatePosts: Array<{ key: string; userId: string; text: string; ts: string }>;
  progressUpdates: RunProgress[];
}

export function createRecordingThread(): RecordingThread {
  let counter = 0;
  const nextTs = () => `${1_700_000_000 + counter++}.000100`;
  const thread: RecordingThread = {
    posts: [],
    approvals: [],
    privatePosts: [],
    progressUpdates: [],
    async progress(update) {
      thread.progressUpdates.push(update);
    },
    async post(key, kind, text) {
      const existing = thread.posts.find((post) => post.key === key);
      if (existing) return { ts: existing.ts };
      const ts = nextTs();
      thread.posts.push({ key, kind, text, ts });
      return { ts };
    },
    async postPrivately(key, userId, text) {
      const existing = thread.privatePosts.find((post) => post.key === key);
      if (existing) return { ts: existing.ts };
      const ts = nextTs();
      thread.privatePosts.push({ key, userId, text, ts });
      return { ts };
    },
    async requestApproval(key, prompt) {
      const existing = thread.approvals.find((approval) => approval.key === key);
      if (existing) return { ts: existing.ts };
      const ts = nextTs();
      thread.approvals.push({ key, prompt, ts });
      return { ts };
    },
  };
  return thread;
}
