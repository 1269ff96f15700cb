import type { JsonObject, StoredFile } from "../state/types.js";

export function fileUrl(baseUrl: string, file: Pick<StoredFile, "id" | "name">): string {
  return `${baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
}

/** A file object as Slack returns it in messages and `files.completeUploadExternal`. */
export function presentFile(file: StoredFile, baseUrl: string): JsonObject {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? "binary";
  const created = Math.floor(file.created / 1000);
  return {
    id: file.id,
    created,
    timestamp: created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: extension,
    pretty_type: extension.toUpperCase(),
    user: file.user,
    user_team: file.teamId,
    editable: false,
    size: file.length,
    mode: "hosted",
    is_external: false,
    external_type: "",
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    username: "",
    url_private: fileUrl(baseUrl, file),
    url_private_download: `${fileUrl(baseUrl, file)}?download=1`,
    permalink: `${baseUrl}/files/${file.id}`,
    channels: file.channels,
    groups: [],
    ims: [],
    has_rich_preview: false,
    file_access: "visible",
  };
}

/** A MIME type from the file name, for uploads that do not say. */
export function guessMimeType(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    txt: "text/plain",
    md: "text/markdown",
    csv: "text/csv",
    json: "application/json",
    pdf: "application/pdf",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
  };
  return (extension && types[extension]) || "application/octet-stream";
}
