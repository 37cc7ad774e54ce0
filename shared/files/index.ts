/**
 * The platform's one file store (attachments of documents, notices and IM messages).
 *
 * The interface, all a service needs:
 * - `fileStore()`: the process's store, chosen by `FILE_STORE`: `local` (a directory, `FILE_DIR`,
 *   `.data/files` by default: the embedded default) or `s3` (`S3_ENDPOINT`, `S3_BUCKET`, … through
 *   `@aws-sdk/client-s3`: production, and SeaweedFS in tests).
 * - `store.put(tmpPath, meta)` moves a finished upload (a local temporary file) into the store;
 *   `store.head(owner, id)` gives its `StoredFile` (or null), `store.open(owner, id)` its bytes as a
 *   stream, `store.remove(owner, id)` deletes it.
 * - A file belongs to an owner service (`FILE_OWNERS`) and is kept under `<owner>/<id>`, with its
 *   metadata beside it (a `.json` sidecar locally, object metadata on S3).
 *
 * How files come and go (gateway/uploads.ts): `POST /api/files/<owner>` streams one multipart file
 * through busboy into a temporary file, with the `FILE_LIMIT_BYTES` limit (413) and a type check by
 * content (`checkFileType`, 415), then `put`s it and answers its `StoredFile`. The owner service
 * attaches the id to its object in its own action (checking with `head` that the caller uploaded
 * it). `GET /api/files/<owner>/<id>` streams it back to its uploader, or to anyone the owner's
 * `files.authorize` action (typed in shared/contracts/actions.ts) lets see it; everyone else gets 404.
 */
import { config } from "../config";
import { LocalFileStore } from "./local";
import type { FileStore } from "./model";
import { S3FileStore } from "./s3";

let cached: FileStore | undefined;
/** The process's file store, from the configuration. */
export function fileStore(): FileStore {
  if (cached) return cached;
  const cfg = config();
  cached =
    cfg.fileStore === "s3"
      ? new S3FileStore({
          endpoint: cfg.s3Endpoint || undefined,
          region: cfg.s3Region,
          bucket: cfg.s3Bucket,
          accessKeyId: cfg.s3AccessKeyId,
          secretAccessKey: cfg.s3SecretAccessKey,
        })
      : new LocalFileStore(cfg.fileDir);
  return cached;
}

export { checkFileType } from "./content-type";
export * from "./model";
