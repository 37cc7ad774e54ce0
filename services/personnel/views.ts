/** Stored documents → API views. */
import type { Post } from "../../shared/contracts/personnel";
import type { PostDoc } from "./personnel.types";

export const toPost = (p: PostDoc): Post => ({
  id: p._id,
  orgId: p.orgId,
  divisionId: p.divisionId,
  title: p.title,
  responsibilities: p.responsibilities,
  isHead: p.isHead,
  aHolderId: p.aHolderId ?? null,
  bHolderId: p.bHolderId ?? null,
  order: p.order,
});

export const fromDoc = <T extends { _id: string }>(d: T): Omit<T, "_id"> & { id: string } => {
  const { _id, ...rest } = d;
  return { id: _id, ...rest };
};
