/**
 * The file store on the S3 API (production; SeaweedFS in the tests): object `<owner>/<id>` with the
 * metadata as a JSON object `<owner>/<id>.json` beside it (S3's own user metadata is ASCII only,
 * and file names are Chinese).
 */
import fs from "node:fs";
import type { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { FILE_ID, type FileOwner, type FileStore, type StoredFile } from "./model";

export interface S3Options {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const missing = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
};

export class S3FileStore implements FileStore {
  private readonly s3: S3Client;
  private bucketReady: Promise<void> | null = null;

  constructor(private readonly opts: S3Options) {
    this.s3 = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint,
      // S3-compatible servers (SeaweedFS, MinIO) serve buckets by path, not by host name.
      forcePathStyle: !!opts.endpoint,
      credentials: opts.accessKeyId
        ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
        : undefined,
    });
  }

  private key(owner: FileOwner, id: string): string {
    if (!FILE_ID.test(id)) throw new Error(`not a file id: ${id}`);
    return `${owner}/${id}`;
  }

  /** Creates the bucket on first use when it does not exist. */
  private bucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      try {
        await this.s3.send(new HeadBucketCommand({ Bucket: this.opts.bucket }));
      } catch (err) {
        if (!missing(err)) throw err;
        await this.s3.send(new CreateBucketCommand({ Bucket: this.opts.bucket }));
      }
    })().catch((err) => {
      this.bucketReady = null;
      throw err;
    });
    return this.bucketReady;
  }

  async put(tmpPath: string, meta: StoredFile): Promise<void> {
    await this.bucket();
    const key = this.key(meta.owner, meta.id);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: key,
        Body: fs.createReadStream(tmpPath),
        ContentLength: meta.size,
        ContentType: meta.mime,
      }),
    );
    // The metadata last: an object without it is never served.
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: `${key}.json`,
        Body: JSON.stringify(meta),
        ContentType: "application/json",
      }),
    );
  }

  async head(owner: FileOwner, id: string): Promise<StoredFile | null> {
    if (!FILE_ID.test(id)) return null;
    await this.bucket();
    try {
      const r = await this.s3.send(
        new GetObjectCommand({ Bucket: this.opts.bucket, Key: `${this.key(owner, id)}.json` }),
      );
      return JSON.parse(await r.Body!.transformToString("utf8")) as StoredFile;
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async open(owner: FileOwner, id: string): Promise<{ meta: StoredFile; body: Readable } | null> {
    const meta = await this.head(owner, id);
    if (!meta) return null;
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(owner, id) }));
      return { meta, body: r.Body as Readable };
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async remove(owner: FileOwner, id: string): Promise<void> {
    await this.bucket();
    const key = this.key(owner, id);
    await this.s3.send(
      new DeleteObjectsCommand({
        Bucket: this.opts.bucket,
        Delete: { Objects: [{ Key: key }, { Key: `${key}.json` }] },
      }),
    );
  }
}
