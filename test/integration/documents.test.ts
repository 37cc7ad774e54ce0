/**
 * The documents service as two replicas with the real personnel service and the gateway, over NATS,
 * Redis and FerretDB: an outgoing document through 核稿, parallel 会签, a return, a withdrawal,
 * 签发 by the B holder of an absent leader, 编号 and distribution to a county, which signs for it,
 * proposes, assigns and handles it and feeds the result back; who sees it; attachments through the
 * gateway; 文号 under 200 concurrent issues on both replicas; bad input; audit entries.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
process.env.FILE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-files-"));

import mongoose from "mongoose";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AddressInfo } from "node:net";
import type { AuthUser, Role } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { DocumentList, DocumentView } from "../../shared/contracts/documents";
import type { StaffView } from "../../shared/contracts/personnel";
import type { DomainEvent } from "../../shared/events";
import { rejection } from "../support/cast";
import { withClock } from "../support/office-staff";

/** Tuesday 10 March 2026, 10:00 in Shanghai. */
const TODAY = new Date("2026-03-10T02:00:00Z");
const clock = new ManualClock(TODAY);
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
let baseUrl: string;
const audits: DomainEvent<"audit.entry">[] = [];

type Who =
  | "drafter"
  | "budgetHead"
  | "treasuryHead"
  | "generalHead"
  | "officeHead"
  | "leader"
  | "leaderB"
  | "zbOfficeHead"
  | "zbLeader"
  | "zbBudgetHead"
  | "kbDrafter"
  | "kbOfficeHead"
  | "outsider";
/** division, head of it?, roles */
const PEOPLE: Record<Who, [string, boolean, Role[]]> = {
  drafter: ["city-budget", false, ["staff"]],
  budgetHead: ["city-budget", true, ["division_head"]],
  treasuryHead: ["city-treasury", true, ["division_head"]],
  generalHead: ["city-general", true, ["division_head"]],
  officeHead: ["city-office", true, ["division_head"]],
  leader: ["city-leadership", true, ["leader"]],
  leaderB: ["city-leadership", false, ["leader"]],
  zbOfficeHead: ["zhangbei-office", true, ["division_head"]],
  zbLeader: ["zhangbei-leadership", true, ["division_head"]],
  zbBudgetHead: ["zhangbei-budget", true, ["division_head"]],
  kbDrafter: ["kangbao-budget", false, ["staff"]],
  kbOfficeHead: ["kangbao-office", true, ["division_head"]],
  outsider: ["kangbao-treasury", false, ["staff"]],
};
const NAMES: Record<Who, string> = {
  drafter: "王拟稿",
  budgetHead: "李预算",
  treasuryHead: "赵国库",
  generalHead: "钱综合",
  officeHead: "孙办公",
  leader: "周局长",
  leaderB: "吴副局",
  zbOfficeHead: "郑张办",
  zbLeader: "冯张局",
  zbBudgetHead: "陈张预",
  kbDrafter: "褚康稿",
  kbOfficeHead: "卫康办",
  outsider: "蒋康员",
};
const staff = {} as Record<Who, StaffView>;
const user = (w: Who): AuthUser => ({
  accountId: `acc-${staff[w].id}`,
  sessionId: `sess-${staff[w].id}`,
  staffId: staff[w].id,
  name: staff[w].name,
  orgId: staff[w].orgId,
  divisionId: staff[w].divisionId,
  roles: PEOPLE[w][2],
});
const call = <T = DocumentView>(action: string, params: object, w?: Who): Promise<T> =>
  broker.call(action, params, w ? { meta: { user: user(w) } } : SYSTEM) as Promise<T>;

const listener: ServiceSchema = {
  name: "listener",
  channels: { "audit.entry": { group: "listener", handler: (e: DomainEvent<"audit.entry">) => void audits.push(e) } },
} as ServiceSchema;

async function token(w: Who): Promise<string> {
  const { newToken, putLiveSession } = await import("../../shared/sessions");
  const t = newToken(user(w).sessionId);
  await putLiveSession(user(w), t.hash);
  return t.token;
}

beforeAll(async () => {
  const { config } = await import("../../shared/config");
  const { dbName } = await import("../../shared/db");
  const [documents] = await schemas("documents");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("documents-a", [withClock(documents, clock)]),
    await startNode("documents-b", [withClock(documents, clock)]),
    await startNode("gateway", await schemas("gateway")),
    await startNode("listener", [listener]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "documents"], 60_000);
  // Head posts as personnel's seed makes them (its actions create ordinary posts only).
  const conn = await mongoose.createConnection(config().mongoUrl, { dbName: dbName("personnel") }).asPromise();
  const heads = [...new Set(Object.values(PEOPLE).map(([d]) => d))];
  await conn.collection("posts").insertMany(
    heads.map((d) => ({
      _id: `p-${d}-head`,
      orgId: d.split("-")[0],
      divisionId: d,
      title: "负责人",
      responsibilities: "",
      isHead: true,
      aHolderId: null,
      bHolderId: null,
      order: 0,
    })) as never[],
  );
  await conn.close();
  for (const w of Object.keys(PEOPLE) as Who[]) {
    const [divisionId, head] = PEOPLE[w];
    staff[w] = await broker.call(
      "personnel.staff.create",
      {
        orgId: divisionId.split("-")[0],
        divisionId,
        name: NAMES[w],
        gender: "male",
        birthDate: "1980-01-01",
        education: "本科",
        politicalStatus: "中共党员",
        title: "科员",
        hireDate: "2005-07-01",
        ...(head && { postId: `p-${divisionId}-head` }),
      },
      SYSTEM,
    );
  }
  await broker.call("personnel.posts.update", { id: "p-city-leadership-head", bHolderId: staff.leaderB.id }, SYSTEM);
  const gw = nodes[3].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  baseUrl = `http://127.0.0.1:${gw.server.address().port}`;
}, 180_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

const open = (d: DocumentView) => d.tasks.filter((t) => t.status === "open").map((t) => t.assigneeId);

describe("an outgoing document from draft to a county's 办结", () => {
  let doc: DocumentView;
  let incoming: DocumentView;

  test("the drafter's draft waits for them; submitting sends it to the division head for 核稿", async () => {
    doc = await call(
      "documents.create",
      {
        kind: "outgoing",
        title: "关于做好2026年预算执行工作的通知",
        docType: "通知",
        urgency: "加急",
        secrecy: "内部",
        body: "<p>各县区财政局：</p><p>现将有关事项通知如下。</p><script>x()</script>",
        mainTo: "各县区财政局",
        copyTo: "市政府办公室",
        countersignDivisionIds: ["city-treasury", "city-general"],
      },
      "drafter",
    );
    expect(doc).toMatchObject({ stage: "draft", step: 0, body: "<p>各县区财政局：</p><p>现将有关事项通知如下。</p>" });
    doc = await call("documents.act", { id: doc.id }, "drafter");
    expect([doc.stage, doc.steps[doc.step].name, open(doc)]).toEqual(["flow", "核稿", [staff.budgetHead.id]]);
    const todo = await call<DocumentList>("documents.todo", {}, "budgetHead");
    expect(todo.items.map((r) => r.id)).toContain(doc.id);
  });

  test("the drafter withdraws it before the head acts, and sends it again", async () => {
    doc = await call("documents.withdraw", { id: doc.id }, "drafter");
    expect([doc.stage, doc.step, open(doc)]).toEqual(["draft", 0, [staff.drafter.id]]);
    expect((await call<DocumentList>("documents.todo", {}, "budgetHead")).items.map((r) => r.id)).not.toContain(doc.id);
    doc = await call("documents.act", { id: doc.id }, "drafter");
    doc = await call("documents.act", { id: doc.id, opinion: "请会签" }, "budgetHead");
    await expect(call("documents.withdraw", { id: doc.id }, "drafter")).rejects.toMatchObject({ code: 409 });
  });

  test("会签 runs in parallel: both divisions must sign before 审核", async () => {
    expect([doc.steps[doc.step].name, open(doc).sort()]).toEqual([
      "会签",
      [staff.treasuryHead.id, staff.generalHead.id].sort(),
    ]);
    doc = await call("documents.act", { id: doc.id, opinion: "同意" }, "treasuryHead");
    expect(doc.steps[doc.step].name).toBe("会签");
    doc = await call("documents.act", { id: doc.id, opinion: "无意见" }, "generalHead");
    expect([doc.steps[doc.step].name, open(doc)]).toEqual(["审核", [staff.officeHead.id]]);
  });

  test("审核 returns it to 核稿 with a reason; the timeline keeps the reason", async () => {
    doc = await call("documents.return", { id: doc.id, toStep: 1, reason: "请补充预算数据" }, "officeHead");
    expect([doc.steps[doc.step].name, open(doc)]).toEqual(["核稿", [staff.budgetHead.id]]);
    expect(doc.timeline.at(-1)).toMatchObject({
      event: "return",
      opinion: "请补充预算数据",
      staffId: staff.officeHead.id,
    });
    doc = await call("documents.act", { id: doc.id, opinion: "已补充" }, "budgetHead");
    doc = await call("documents.act", { id: doc.id }, "treasuryHead");
    doc = await call("documents.act", { id: doc.id }, "generalHead");
  });

  test("the leader is on leave today: 签发 goes to the B holder of the post, and the timeline says so", async () => {
    await broker.call(
      "personnel.attendance.set",
      {
        divisionId: "city-leadership",
        entries: [{ staffId: staff.leader.id, date: "2026-03-10", status: "leave_annual" }],
      },
      SYSTEM,
    );
    doc = await call("documents.act", { id: doc.id, opinion: "同意" }, "officeHead");
    const task = doc.tasks.find((t) => t.status === "open")!;
    expect(task).toMatchObject({ assigneeId: staff.leaderB.id, coversFor: { staffId: staff.leader.id } });
    expect(doc.timeline.at(-1)!.detail).toBe("周局长（年假），B岗，由吴副局代为办理");
    doc = await call("documents.act", { id: doc.id, opinion: "同意印发" }, "leaderB");
    expect(doc.stage).toBe("signed");
  });

  test("the office issues it: 文号 张财办〔2026〕1号, and Zhangbei receives it as 收文 at its office", async () => {
    await expect(
      call("documents.issue", { id: doc.id, recipients: [{ type: "org", id: "zhangbei" }] }, "drafter"),
    ).rejects.toMatchObject({ code: 403 });
    doc = await call(
      "documents.issue",
      {
        id: doc.id,
        recipients: [
          { type: "org", id: "zhangbei" },
          { type: "division", id: "city-treasury" },
        ],
      },
      "officeHead",
    );
    expect([doc.stage, doc.number]).toEqual(["issued", "张财办〔2026〕1号"]);
    const inId = doc.distribution[0].incomingId!;
    incoming = await call("documents.get", { id: inId }, "zbOfficeHead");
    expect(incoming).toMatchObject({
      kind: "incoming",
      orgId: "zhangbei",
      source: { id: doc.id, number: "张财办〔2026〕1号" },
    });
    expect([incoming.steps[incoming.step].name, open(incoming)]).toEqual(["签收", [staff.zbOfficeHead.id]]);
  });

  test("Zhangbei signs for it (the sender sees the time), proposes, its leader assigns, budget handles, the result goes back", async () => {
    incoming = await call("documents.act", { id: incoming.id }, "zbOfficeHead");
    let out = await call("documents.get", { id: doc.id }, "officeHead");
    expect(out.distribution[0]).toMatchObject({ receivedAt: TODAY.toISOString(), receivedBy: "郑张办" });
    await expect(call("documents.act", { id: incoming.id }, "zbOfficeHead")).rejects.toMatchObject({
      code: 422,
      data: [{ field: "opinion" }],
    });
    incoming = await call("documents.act", { id: incoming.id, opinion: "拟请预算股办理" }, "zbOfficeHead");
    await expect(call("documents.act", { id: incoming.id, opinion: "同意" }, "zbLeader")).rejects.toMatchObject({
      data: [{ field: "handlingDivisionIds" }],
    });
    incoming = await call(
      "documents.act",
      { id: incoming.id, opinion: "请预算股办理", handlingDivisionIds: ["zhangbei-budget"] },
      "zbLeader",
    );
    // 加急: 5 working days after Tuesday 10 March.
    expect(incoming.tasks.find((t) => t.status === "open")).toMatchObject({
      assigneeId: staff.zbBudgetHead.id,
      dueDate: "2026-03-17",
    });
    incoming = await call("documents.act", { id: incoming.id, opinion: "已按要求落实" }, "zbBudgetHead");
    expect([incoming.stage, incoming.result]).toEqual(["done", "已按要求落实"]);
    out = await call("documents.get", { id: doc.id }, "officeHead");
    expect(out.distribution[0]).toMatchObject({ result: "已按要求落实" });
    incoming = await call("documents.archive", { id: incoming.id }, "zbOfficeHead");
    expect(incoming.stage).toBe("archived");
  });

  test("only participants see it: a stranger, and a leader of an uninvolved county, are told it does not exist", async () => {
    for (const w of ["outsider", "kbOfficeHead"] as Who[])
      await expect(call("documents.get", { id: doc.id }, w)).rejects.toMatchObject({ code: 404 });
    await expect(call("documents.get", { id: incoming.id }, "drafter")).rejects.toMatchObject({ code: 404 });
    expect((await call<DocumentList>("documents.search", { q: "预算执行" }, "outsider")).total).toBe(0);
    expect(
      (await call<DocumentList>("documents.search", { q: "预算执行" }, "treasuryHead")).items.map((r) => r.id),
    ).toContain(doc.id);
  });

  test("every change was audited, with the document as target", async () => {
    const want = [
      "documents.create",
      "documents.submit",
      "documents.withdraw",
      "documents.return",
      "documents.sign",
      "documents.issue",
      "documents.receive",
      "documents.assign",
      "documents.handle",
      "documents.archive",
    ];
    const seen = await waitFor(
      () =>
        new Set(
          audits
            .filter((a) => a.data.target === `document:${doc.id}` || a.data.target === `document:${incoming.id}`)
            .map((a) => a.data.action),
        ),
      (s) => want.every((w) => s.has(w)),
    );
    expect(want.filter((w) => !seen.has(w))).toEqual([]);
  });
});

describe("bad input names its field and writes nothing", () => {
  const draft = { kind: "outgoing", title: "t", docType: "通知", urgency: "平件", secrecy: "内部", body: "<p>x</p>" };
  test.each([
    ["a classified document", { ...draft, secrecy: "机密" }, "secrecy"],
    ["no title", { ...draft, title: undefined }, "title"],
    ["an unknown 文种", { ...draft, docType: "公告x" }, "docType"],
    ["an unknown urgency", { ...draft, urgency: "快" }, "urgency"],
    [
      "another organisation's division",
      { ...draft, countersignDivisionIds: ["zhangbei-budget"] },
      "countersignDivisionIds",
    ],
    ["a file never uploaded", { ...draft, attachmentIds: ["f-000000000000000000000000"] }, "attachmentIds[0]"],
    ["an unknown field", { ...draft, rogue: 1 }, "rogue"],
  ])("create with %s: 422", async (_what, params, field) => {
    const before = (await call<DocumentList>("documents.drafts", {}, "drafter")).total;
    const err = await rejection(call("documents.create", params, "drafter"));
    expect(err).toMatchObject({ code: 422 });
    expect(JSON.stringify((err as { data: unknown }).data)).toContain(field);
    expect((await call<DocumentList>("documents.drafts", {}, "drafter")).total).toBe(before);
  });

  test.each([
    ["documents.get", { id: "doc-unknown" }, 404],
    ["documents.act", { id: "doc-unknown" }, 404],
    ["documents.act", { id: 5 }, 422],
    ["documents.return", { id: "doc-unknown", toStep: "x", reason: "r" }, 422],
    ["documents.return", { id: "doc-unknown", toStep: 0 }, 422],
    ["documents.withdraw", { id: "doc-unknown" }, 404],
    ["documents.issue", { id: "doc-unknown", recipients: [] }, 422],
    ["documents.issue", { id: "doc-unknown", recipients: [{ type: "planet", id: "x" }] }, 422],
    ["documents.register", { title: "t", docType: "函", urgency: "平件", secrecy: "内部", body: "" }, 422],
    ["documents.archive", { id: "doc-unknown" }, 404],
    ["documents.update", { id: "doc-unknown", title: "" }, 422],
    ["documents.attachments.add", { id: "doc-unknown", fileId: "../../etc/passwd" }, 422],
    ["documents.search", { from: "2026-1-1" }, 422],
    ["documents.todo", { page: 0 }, 422],
    ["documents.flows.get", { orgId: "city", kind: "memo" }, 422],
    [
      "documents.flows.set",
      {
        orgId: "city",
        kind: "outgoing",
        steps: [],
        numberPrefix: "张财",
        dueWorkingDays: { 平件: 10, 加急: 5, 特急: 2 },
      },
      422,
    ],
    ["documents.efficiency", { orgId: "city" }, 403],
  ])("%s %j: %i", async (action, params, code) => {
    await expect(call(action, params, "drafter")).rejects.toMatchObject({ code });
  });

  test("a county administrator may not edit the city's flows", async () => {
    const flow = await call<{ steps: unknown[] }>(
      "documents.flows.get",
      { orgId: "city", kind: "outgoing" },
      "drafter",
    );
    await expect(
      call(
        "documents.flows.set",
        {
          orgId: "city",
          kind: "outgoing",
          steps: flow.steps,
          numberPrefix: "张财",
          dueWorkingDays: { 平件: 10, 加急: 5, 特急: 2 },
        },
        "outsider",
      ),
    ).rejects.toMatchObject({ code: 403 });
  });
});

describe("attachments through the gateway", () => {
  const upload = async (w: Who, name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${baseUrl}/api/files/documents`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${await token(w)}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as { id: string; mime: string; size: number; error?: { type: string } },
    };
  };
  const download = async (w: Who, id: string) => {
    const res = await fetch(`${baseUrl}/api/files/documents/${id}`, {
      headers: { authorization: `Bearer ${await token(w)}` },
    });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get("content-type") };
  };
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(20_000, 0x41)]);

  test("a PDF is stored; its uploader downloads it; only participants of a document holding it may", async () => {
    const up = await upload("drafter", "预算表.pdf", pdf);
    expect(up).toMatchObject({ status: 201, body: { mime: "application/pdf", size: pdf.length } });
    expect((await download("drafter", up.body.id)).bytes.equals(pdf)).toBe(true);
    expect((await download("budgetHead", up.body.id)).status).toBe(404);
    const d = await call(
      "documents.create",
      {
        kind: "request",
        title: "关于购置设备的请示",
        docType: "请示",
        urgency: "平件",
        secrecy: "内部",
        body: "<p>请批示。</p>",
        attachmentIds: [up.body.id],
      },
      "drafter",
    );
    expect(d.attachments).toEqual([{ id: up.body.id, name: "预算表.pdf", size: pdf.length, mime: "application/pdf" }]);
    await call("documents.act", { id: d.id }, "drafter");
    const asHead = await download("budgetHead", up.body.id);
    expect([asHead.status, asHead.type, asHead.bytes.equals(pdf)]).toEqual([200, "application/pdf", true]);
    expect((await download("outsider", up.body.id)).status).toBe(404);
    // Another's upload cannot be attached.
    await expect(
      call("documents.attachments.add", { id: d.id, fileId: up.body.id }, "budgetHead"),
    ).rejects.toMatchObject({ code: 422 });
  });

  test("an executable named .pdf is refused by its content (415); a file over 10 MB is refused (413); nobody signed in: 401", async () => {
    expect(
      (
        await upload(
          "drafter",
          "通知.pdf",
          Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "latin1"),
        )
      ).status,
    ).toBe(415);
    const big = await upload(
      "drafter",
      "big.pdf",
      Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(10 * 1024 * 1024)]),
    );
    expect([big.status, big.body.error?.type]).toEqual([413, "FILE_TOO_LARGE"]);
    const anon = await fetch(`${baseUrl}/api/files/documents`, { method: "POST", body: new FormData() });
    expect(anon.status).toBe(401);
    expect(
      fs.readdirSync(path.join(process.env.FILE_DIR!, "documents")).filter((f) => !f.endsWith(".json")),
    ).toHaveLength(1);
  });
});

describe("文号 under concurrency", () => {
  test("200 concurrent issues over 5 文种 on two replicas: every number once, none skipped", async () => {
    const flow = await call<{ steps: { key: string }[] }>("documents.flows.get", {
      orgId: "kangbao",
      kind: "outgoing",
    });
    await call("documents.flows.set", {
      orgId: "kangbao",
      kind: "outgoing",
      steps: [flow.steps[0]],
      numberPrefix: "康财",
      dueWorkingDays: { 平件: 10, 加急: 5, 特急: 2 },
    });
    const types = ["通知", "请示", "报告", "函", "纪要"];
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 20)
      ids.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, async (_, j) => {
            const d = await call(
              "documents.create",
              {
                kind: "outgoing",
                title: `并发编号 ${i + j}`,
                docType: types[(i + j) % 5],
                urgency: "平件",
                secrecy: "内部",
                body: "<p>x</p>",
              },
              "kbDrafter",
            );
            return (await call("documents.act", { id: d.id }, "kbDrafter")).id;
          }),
        )),
      );
    const started = Date.now();
    const issued = await Promise.all(
      ids.map(
        (id) =>
          broker.call(
            "documents.issue",
            { id, recipients: [{ type: "staff", id: staff.kbDrafter.id }] },
            { meta: { user: user("kbOfficeHead") }, timeout: 240_000 },
          ) as Promise<DocumentView>,
      ),
    );
    console.log(`200 concurrent issues on two replicas: ${Date.now() - started} ms`);
    const byType = new Map<string, number[]>();
    for (const d of issued) {
      const m = /^康财.〔2026〕(\d+)号$/.exec(d.number!)!;
      byType.set(d.docType, [...(byType.get(d.docType) ?? []), Number(m[1])]);
    }
    expect(byType.size).toBe(5);
    for (const nums of byType.values())
      expect(nums.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(issued.map((d) => d.number)).size).toBe(200);
    // Both replicas took numbers of every sequence (calls are balanced).
    for (const node of [nodes[1], nodes[2]]) {
      const hints = (node.getLocalService("documents") as unknown as { numberHints: Map<string, number> }).numberHints;
      expect([...hints.keys()].filter((k) => k.startsWith("kangbao|"))).toHaveLength(5);
    }
  }, 300_000);
});
