/**
 * The inbox consumes the events that concern a person: a comment on one's log, and a notice one
 * receives. Each item is stored once per event and recipient, however often the event arrives.
 */
import type { ServiceBroker } from "moleculer";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";
import type { InboxList } from "../../shared/contracts/inbox";
import { publish } from "../../shared/events";

useTestNamespace();
let broker: ServiceBroker;

const user = (staffId: string) => ({
  meta: {
    user: {
      accountId: `a-${staffId}`,
      sessionId: "s",
      staffId,
      name: staffId,
      orgId: "city",
      divisionId: "city-office",
      roles: ["staff"],
    },
  },
});
const inbox = (staffId: string) => broker.call<InboxList, object>("inbox.mine", {}, user(staffId));

beforeAll(async () => {
  broker = await startNode("inbox", await schemas("inbox"));
});
afterAll(async () => {
  await broker.stop();
});

test("when someone comments on a log, then its author finds it in the inbox, once, however often the event comes", async () => {
  const comment = {
    commentId: "c-1",
    logId: "log-1",
    logAuthorStaffId: "s-author",
    authorStaffId: "s-reader",
    authorName: "李读者",
    mentionedStaffIds: [],
    excerpt: "台账整理得很清楚，值得学习。",
    createdAt: new Date().toISOString(),
  };
  await publish(broker, "worklog.comment.added", comment, "comment:c-1");
  await publish(broker, "worklog.comment.added", comment, "comment:c-1");
  // A comment on one's own log, and one that mentions the author, add nothing more.
  await publish(
    broker,
    "worklog.comment.added",
    { ...comment, commentId: "c-2", authorStaffId: "s-author" },
    "comment:c-2",
  );
  await publish(
    broker,
    "worklog.comment.added",
    { ...comment, commentId: "c-3", mentionedStaffIds: ["s-author"] },
    "comment:c-3",
  );
  const list = await waitFor(
    () => inbox("s-author"),
    (l) => l.items.length >= 1,
  );
  await new Promise((r) => setTimeout(r, 500));
  const again = await inbox("s-author");
  expect(again.items).toHaveLength(1);
  expect(list.items[0]).toMatchObject({
    kind: "worklog.comment",
    title: "李读者 评论了你的日志",
    body: "台账整理得很清楚，值得学习。",
    link: "/worklog/logs/log-1",
    readAt: null,
  });
  expect(again.unread).toBe(1);
});

test("when a notice goes out, then every recipient but the publisher finds it in the inbox, once", async () => {
  const recipients = Array.from({ length: 700 }, (_, i) => `s-${String(i).padStart(5, "0")}`);
  const notice = {
    noticeId: "n-1",
    title: "关于报送年度工作总结的通知",
    scope: { type: "bureau" as const, id: null },
    publisherStaffId: "s-00000",
    publisherName: "办公室",
    publishedAt: new Date().toISOString(),
    recipientStaffIds: recipients,
    link: "/notices/n-1",
  };
  await publish(broker, "notices.notice.published", notice, "notice:n-1");
  await publish(broker, "notices.notice.published", notice, "notice:n-1");
  const last = await waitFor(
    () => inbox("s-00699"),
    (l) => l.items.length >= 1,
    30_000,
  );
  expect(last.items).toEqual([
    expect.objectContaining({
      kind: "notices.notice",
      title: "新通知：关于报送年度工作总结的通知",
      link: "/notices/n-1",
    }),
  ]);
  expect((await inbox("s-00001")).items).toHaveLength(1);
  expect((await inbox("s-00000")).items).toHaveLength(0);
  await new Promise((r) => setTimeout(r, 500));
  expect((await inbox("s-00350")).items).toHaveLength(1);
});
