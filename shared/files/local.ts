/** The file store in a local directory (the embedded default): `<dir>/<owner>/<id>` and `<id>.json` beside it. */
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { FILE_ID, type FileOwner, type FileStore, type StoredFile } from "./model";

export class LocalFileStore implements FileStore {
  private readonly root: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
  }

  private file(owner: FileOwner, id: string): string {
    if (!FILE_ID.test(id)) throw new Error(`not a file id: ${id}`);
    return path.join(this.root, owner, id);
  }

  async put(tmpPath: string, meta: StoredFile): Promise<void> {
    const target = this.file(meta.owner, meta.id);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    // The sidecar first: a file without one is never served, a sidecar without its file reads as missing.
    await fs.promises.writeFile(`${target}.json`, JSON.stringify(meta));
    await fs.promises.copyFile(tmpPath, target);
  }

  async head(owner: FileOwner, id: string): Promise<StoredFile | null> {
    if (!FILE_ID.test(id)) return null;
    const target = this.file(owner, id);
    try {
      const [meta] = await Promise.all([fs.promises.readFile(`${target}.json`, "utf8"), fs.promises.stat(target)]);
      return JSON.parse(meta) as StoredFile;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async open(owner: FileOwner, id: string): Promise<{ meta: StoredFile; body: Readable } | null> {
    const meta = await this.head(owner, id);
    return meta && { meta, body: fs.createReadStream(this.file(owner, id)) };
  }

  async remove(owner: FileOwner, id: string): Promise<void> {
    const target = this.file(owner, id);
    await fs.promises.rm(target, { force: true });
    await fs.promises.rm(`${target}.json`, { force: true });
  }
}
