import type { Database } from "../storage/database.js";

/**
 * Large tool outputs are stored whole; the model sees a bounded preview (head and tail, size and a
 * handle) and can read any range back with the `read_artifact` tool.
 */
export interface Preview {
  text: string;
  artifactId?: string;
}

export async function clipOutput(
  database: Database,
  runId: string,
  name: string,
  content: string,
  limit: number,
): Promise<Preview> {
  if (content.length <= limit) return { text: content };
  const artifact = await database.artifact.create({
    data: { runId, name, content, size: content.length },
  });
  return { text: previewText(content, limit, artifact.id), artifactId: artifact.id };
}

export function previewText(content: string, limit: number, artifactId: string): string {
  const head = content.slice(0, Math.floor(limit * 0.7));
  const tail = content.slice(content.length - Math.floor(limit * 0.2));
  const hidden = content.length - head.length - tail.length;
  return (
    `${head}\n[… ${hidden} characters not shown. The whole output (${content.length} characters) is artifact ` +
    `${artifactId}: read any range with read_artifact {"artifactId":"${artifactId}","offset":${head.length},"length":4000} …]\n${tail}`
  );
}
