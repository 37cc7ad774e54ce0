/**
 * The launcher's FerretDB stops answering for 60 s (SIGSTOP, then SIGCONT) while comments and staff
 * changes (a leaver among them) are being written. Afterwards every consumer's effect is there,
 * counted against what the sources hold: an inbox item per comment, an audit entry per staff change,
 * the leavers' accounts disabled, and no dead letters. Bounded: about two and a half minutes.
 */
import fs from "node:fs";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import type { StaffView } from "../../shared/contracts/personnel";
import { sysAdmin } from "../support/actors";
import { SYSTEM, schemas, startNode, useTestNamespace, waitFor } from "../support/broker";

useTestNamespace();

const OUTAGE_MS = 60_000;
const ADMIN = { meta: { user: sysAdmin.user } };
const pidFile = path.resolve(__dirname, "..", "..", ".data", "test", "run", "ferretdb.pid");
const ferretPid = (): number | null =>
  fs.existsSync(pidFile) ? (JSON.parse(fs.readFileSync(pidFile, "utf8")) as { pid: number }).pid : null;
const pid = ferretPid();
// Only where the launcher started FerretDB for this run (its pid file); elsewhere there is nothing to stop.
const run = pid ? describe : describe.skip;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

run("a 60 s database outage while events flow", () => {
  let node: ServiceBroker;
  let author: StaffView;
  let commenter: StaffView;
  const people: StaffView[] = [];
  let stopped = false;

  const asUser = (s: StaffView): { meta: { user: AuthUser } } => ({
    meta: {
      user: {
        accountId: `acc-${s.id}`,
        sessionId: "s",
        staffId: s.id,
        name: s.name,
        orgId: s.orgId,
        divisionId: s.divisionId,
        roles: ["staff"],
      },
    },
  });
  const newStaff = (name: string) =>
    node.call<StaffView, object>(
      "personnel.staff.create",
      {
        orgId: "zhangbei",
        divisionId: "zhangbei-budget",
        name,
        gender: "female",
        birthDate: "1990-05-01",
        education: "本科",
        politicalStatus: "中共党员",
        title: "科员",
        hireDate: "2015-07-01",
      },
      SYSTEM,
    );

  beforeAll(async () => {
    node = await startNode("outage", await schemas("audit", "personnel", "accounts", "worklog", "inbox"));
    author = await newStaff("作者甲");
    commenter = await newStaff("评论乙");
    for (let i = 0; i < 6; i++) {
      const s = await newStaff(`人员${"甲乙丙丁戊己"[i]}`);
      people.push(s);
      await node.call(
        "accounts.create",
        { staffId: s.id, username: `outage${i}`, password: "Outage#2026x", roles: ["staff"] },
        ADMIN,
      );
    }
  }, 120_000);

  afterAll(async () => {
    if (stopped && pid) process.kill(pid, "SIGCONT");
    await node?.stop();
  });

  test("when FerretDB stops answering for 60 s while comments and staff changes are written, then every consumer's effect is there afterwards", async () => {
    const log = await node.call<{ id: string }, object>(
      "worklog.logs.create",
      { done: "停库演练：今天的工作。", thoughts: "体会。" },
      asUser(author),
    );
    // Writers: a comment and a staff change every 1.5 s, for the outage and 10 s either side.
    const until = Date.now() + OUTAGE_MS + 20_000;
    const attempts = { comments: 0, changes: 0 };
    const writer = async (each: (i: number) => Promise<unknown>, key: keyof typeof attempts) => {
      for (let i = 0; Date.now() < until; i++) {
        attempts[key]++;
        await each(i).catch(() => undefined); // a write the outage refuses is simply not in the source
        await sleep(1500);
      }
    };
    const comments = writer(
      (i) => node.call("worklog.comments.add", { id: log.id, body: `第 ${i} 条评论` }, asUser(commenter)),
      "comments",
    );
    const changes = writer((i) => {
      const s = people[i % people.length];
      // The first three people leave (their accounts must end disabled); the others change phone.
      const leaves = i % people.length < 3;
      return node.call(
        "personnel.staff.update",
        leaves ? { id: s.id, status: "left" } : { id: s.id, phone: `1380000${String(1000 + i).slice(-4)}` },
        SYSTEM,
      );
    }, "changes");

    await sleep(10_000);
    process.kill(pid!, "SIGSTOP");
    stopped = true;
    await sleep(OUTAGE_MS);
    process.kill(pid!, "SIGCONT");
    stopped = false;
    await Promise.all([comments, changes]);
    // Writes hang while the database is stopped (each call times out), so fewer go out than 80 / 1.5.
    expect(attempts.comments).toBeGreaterThan(10);

    // What the sources hold.
    const sourceComments = await node.call<unknown[], object>("worklog.comments.list", { id: log.id }, SYSTEM);
    const staffNow = await Promise.all(
      people.map((s) =>
        node.call<StaffView & { version: number }, object>("personnel.staff.get", { id: s.id }, SYSTEM),
      ),
    );
    const leavers = staffNow.filter((s) => s.status === "left").map((s) => s.id);
    expect(sourceComments.length).toBeGreaterThan(5);
    expect(leavers.length).toBe(3);

    // Every consumer's effect, counted against the source (the consumers may still be retrying).
    await waitFor(
      async () =>
        (await node.call<{ items: unknown[] }, object>("inbox.mine", { limit: 100 }, asUser(author))).items.length,
      (n) => n === sourceComments.length,
      120_000,
    );
    const staffChanges = staffNow.reduce((n, s) => n + (s.version - 1), 0); // each update bumps the version
    await waitFor(
      async () =>
        (
          await node.call<{ items: unknown[] }, object>(
            "audit.list",
            { action: "personnel.staff.update", limit: 500 },
            ADMIN,
          )
        ).items.length,
      (n) => n >= staffChanges,
      120_000,
    );
    await waitFor(
      async () => {
        const r = await node.call<{ items: { staffId: string; disabled: boolean }[] }, object>(
          "accounts.list",
          { q: "outage", limit: 100 },
          ADMIN,
        );
        return r.items
          .filter((a) => a.disabled)
          .map((a) => a.staffId)
          .sort();
      },
      (ids) => JSON.stringify(ids) === JSON.stringify([...leavers].sort()),
      120_000,
    );
    const dl = await node.call<{ total: number }, object>("audit.deadLetters.list", {}, ADMIN);
    expect(dl.total).toBe(0);
  }, 330_000);
});
