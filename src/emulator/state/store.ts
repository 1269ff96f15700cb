import { ActivityLog } from "./activity-log.js";
import { ChangeFeed, type ChangeListener } from "./change-feed.js";
import { Directory } from "./directory.js";
import { MessageLog } from "./message-log.js";
import type { AssistantThread, StoredFile } from "./types.js";
import { ViewRegistry } from "./view-registry.js";

/**
 * All state of the emulated Slack, in one place, with one change stream. A UI subscribes with
 * `store.subscribe(change => ...)` and reads the collections; tests read them through the emulator.
 */
export class WorkspaceStore {
  private readonly feed = new ChangeFeed();
  readonly directory = new Directory(this.feed);
  readonly messages = new MessageLog(this.feed);
  readonly views = new ViewRegistry(this.feed);
  readonly activity = new ActivityLog(this.feed);
  private readonly files = new Map<string, StoredFile>();
  private readonly assistantThreads = new Map<string, AssistantThread>();

  subscribe(listener: ChangeListener): () => void {
    return this.feed.subscribe(listener);
  }

  addFile(file: StoredFile): StoredFile {
    this.files.set(file.id, file);
    return file;
  }

  file(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  allFiles(teamId?: string): StoredFile[] {
    return [...this.files.values()].filter((file) => teamId === undefined || file.teamId === teamId);
  }

  /** Marks a file complete (uploaded and shared or finished) and announces it. */
  completeFile(file: StoredFile, changes: Partial<StoredFile> = {}): StoredFile {
    Object.assign(file, changes, { completed: true });
    this.feed.emit({ type: "file_uploaded", file });
    return file;
  }

  assistantThread(channel: string, threadTs: string): AssistantThread | undefined {
    return this.assistantThreads.get(`${channel}:${threadTs}`);
  }

  allAssistantThreads(teamId?: string): AssistantThread[] {
    return [...this.assistantThreads.values()].filter(
      (thread) => teamId === undefined || thread.teamId === teamId,
    );
  }

  /** Creates or changes the assistant state of a thread (status, title, suggested prompts). */
  updateAssistantThread(
    key: { teamId: string; channel: string; threadTs: string },
    changes: Partial<AssistantThread>,
  ): AssistantThread {
    const id = `${key.channel}:${key.threadTs}`;
    const thread: AssistantThread = this.assistantThreads.get(id) ?? {
      ...key,
      userId: undefined,
      status: undefined,
      loadingMessages: undefined,
      statusSetAt: undefined,
      title: undefined,
      prompts: undefined,
    };
    Object.assign(thread, changes);
    this.assistantThreads.set(id, thread);
    this.feed.emit({ type: "assistant_thread_updated", thread });
    return thread;
  }
}
