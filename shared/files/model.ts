/** The file store's types, shared by its implementations (see index.ts). */
import type { Readable } from "node:stream";

/** The services that own files; each answers `<owner>.files.authorize`. */
export const FILE_OWNERS = ["documents"] as const;
export type FileOwner = (typeof FILE_OWNERS)[number];

/** A stored file's metadata. */
export interface StoredFile {
  id: string;
  owner: FileOwner;
  /** The name the uploader gave it. */
  name: string;
  /** The type found in its content (not the one the browser claimed). */
  mime: string;
  size: number;
  sha256: string;
  /** Staff id (or account id) of the uploader. */
  uploadedBy: string;
  uploadedAt: string;
}

export interface FileStore {
  put(tmpPath: string, meta: StoredFile): Promise<void>;
  head(owner: FileOwner, id: string): Promise<StoredFile | null>;
  open(owner: FileOwner, id: string): Promise<{ meta: StoredFile; body: Readable } | null>;
  remove(owner: FileOwner, id: string): Promise<void>;
}

/** File ids are ours (`f-` and 24 hex digits): nothing else reaches a path or an object key. */
export const FILE_ID = /^f-[0-9a-f]{24}$/;
