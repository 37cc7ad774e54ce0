/**
 * Attachments through the gateway (the store: shared/files). `POST /api/files/:owner` streams one
 * multipart file (busboy) into a temporary file, no bigger than `FILE_LIMIT_BYTES` (413) and of a
 * type accepted by its content (415), then keeps it in the file store and answers its `StoredFile`.
 * `GET /api/files/:owner/:id` streams a file to its uploader, or to whoever the owner service's
 * `files.authorize` lets see it (a participant of the document holding it); anyone else gets 404,
 * as for a file that does not exist. Both need a signed-in user (401).
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { Errors, type Context, type ServiceBroker } from "moleculer";
import type { ApiRouteSchema } from "moleculer-web";
import type { CallMeta } from "../shared/auth";
import { config } from "../shared/config";
import { call } from "../shared/contracts/actions";
import { NotFoundError, UnauthorizedError, fieldError } from "../shared/errors";
import { FILE_OWNERS, checkFileType, fileStore, type FileOwner, type StoredFile } from "../shared/files";
import { SNIFF_BYTES } from "../shared/files/content-type";

type Req = IncomingMessage & { $ctx: Context<unknown, CallMeta>; $params?: Record<string, string> };
type Next = (err?: unknown) => void;

/** An HTTP refusal in the gateway's one error shape (400, 413, 415). */
const httpError = (code: number, type: string, message: string) => new Errors.MoleculerClientError(message, code, type);

const ownerOf = (req: Req): FileOwner => {
  const owner = req.$params?.owner;
  if (!(FILE_OWNERS as readonly string[]).includes(owner ?? ""))
    throw new NotFoundError("FILE_OWNER_NOT_FOUND", "未找到请求的资源");
  return owner as FileOwner;
};

const uploaderOf = (meta: CallMeta): string => {
  const u = meta.user;
  if (!u) throw new UnauthorizedError("请先登录", "UNAUTHENTICATED");
  return u.staffId ?? u.accountId;
};

/** Receives one file of a multipart body into a temporary file, with its size, hash and first bytes. */
function receive(
  req: IncomingMessage,
  limit: number,
): Promise<{ tmp: string; name: string; size: number; sha256: string; head: Buffer }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 0, parts: 2 } });
    } catch {
      return reject(httpError(400, "NOT_MULTIPART", "请以 multipart/form-data 上传文件"));
    }
    let seen: Promise<{ tmp: string; name: string; size: number; sha256: string; head: Buffer }> | null = null;
    bb.on("file", (_field, stream, info) => {
      const tmp = path.join(os.tmpdir(), `mingbai-upload-${randomBytes(8).toString("hex")}`);
      const hash = createHash("sha256");
      const heads: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      let tooBig = false;
      stream.on("limit", () => {
        tooBig = true;
      });
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        if (headLength < SNIFF_BYTES) {
          heads.push(chunk);
          headLength += chunk.length;
        }
      });
      seen = pipeline(stream, fs.createWriteStream(tmp)).then(
        () => {
          if (tooBig) {
            void fs.promises.rm(tmp, { force: true });
            throw httpError(413, "FILE_TOO_LARGE", `文件不能超过 ${Math.floor(limit / 1048576)} MB`);
          }
          return {
            tmp,
            name: Buffer.from(info.filename ?? "", "latin1").toString("utf8"),
            size,
            sha256: hash.digest("hex"),
            head: Buffer.concat(heads).subarray(0, SNIFF_BYTES),
          };
        },
        async (err) => {
          await fs.promises.rm(tmp, { force: true });
          throw err;
        },
      );
      seen.catch(() => undefined);
    });
    bb.on("error", () => reject(httpError(400, "BAD_MULTIPART", "上传内容格式错误")));
    bb.on("close", () => {
      if (!seen) return reject(fieldError("file", "请选择要上传的文件"));
      seen.then(resolve, reject);
    });
    req.pipe(bb);
  });
}

/** The decoded file name, without paths, control characters or anything over 200 characters. */
const cleanName = (name: string): string =>
  path
    .basename(name.replace(/\\/g, "/"))
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, "")
    .slice(0, 200);

async function upload(_broker: ServiceBroker, req: Req, res: ServerResponse): Promise<void> {
  const owner = ownerOf(req);
  const uploadedBy = uploaderOf(req.$ctx.meta);
  const got = await receive(req, config().fileLimitBytes);
  try {
    const name = cleanName(got.name);
    if (!name) throw fieldError("file", "文件名不能为空");
    const type = await checkFileType(got.head, name);
    if (!type)
      throw httpError(
        415,
        "FILE_TYPE_REFUSED",
        "不支持该文件类型（可上传 PDF、OFD、Office/WPS 文档、图片、压缩包和文本）",
      );
    const meta: StoredFile = {
      id: `f-${randomBytes(12).toString("hex")}`,
      owner,
      name,
      mime: type.mime,
      size: got.size,
      sha256: got.sha256,
      uploadedBy,
      uploadedAt: new Date().toISOString(),
    };
    await fileStore().put(got.tmp, meta);
    res.writeHead(201, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(meta));
  } finally {
    await fs.promises.rm(got.tmp, { force: true });
  }
}

/** May the caller read the file? Its uploader may; anyone else as the owner service decides. */
async function mayRead(broker: ServiceBroker, meta: CallMeta, file: StoredFile): Promise<boolean> {
  if (uploaderOf(meta) === file.uploadedBy) return true;
  const r = await call(broker, `${file.owner}.files.authorize`, { id: file.id }, { meta: { user: meta.user } });
  return r.allowed;
}

async function download(broker: ServiceBroker, req: Req, res: ServerResponse): Promise<void> {
  const owner = ownerOf(req);
  uploaderOf(req.$ctx.meta);
  const id = req.$params?.id ?? "";
  const file = await fileStore().head(owner, id);
  if (!file || !(await mayRead(broker, req.$ctx.meta, file))) throw new NotFoundError("FILE_NOT_FOUND", "文件不存在");
  const opened = await fileStore().open(owner, id);
  if (!opened) throw new NotFoundError("FILE_NOT_FOUND", "文件不存在");
  res.writeHead(200, {
    "Content-Type": file.mime,
    "Content-Length": String(file.size),
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    "Cache-Control": "private, no-store",
  });
  await pipeline(opened.body, res);
}

/** The gateway's `/api/files` route; errors go to the gateway's one error shape (`onError`). */
export function filesRoute(shared: Pick<ApiRouteSchema, "onBeforeCall" | "onError">): ApiRouteSchema {
  const run = (fn: (broker: ServiceBroker, req: Req, res: ServerResponse) => Promise<void>) =>
    function (this: { broker: ServiceBroker }, req: Req, res: ServerResponse, next: Next): void {
      // On success the answer is sent here and `next` is never called (it would look for an action).
      fn(this.broker, req, res).catch(next);
    };
  return {
    path: "/api/files",
    mappingPolicy: "restrict",
    authentication: true,
    bodyParsers: { json: false, urlencoded: false },
    aliases: {
      "POST /:owner": run(upload),
      "GET /:owner/:id": run(download),
    },
    onBeforeCall: shared.onBeforeCall,
    onError: shared.onError,
  };
}
