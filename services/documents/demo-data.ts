/**
 * A year of demo documents for the 21 organisations: about 3,000 outgoing ones (most issued and
 * archived, some in flow, a few drafts), the 收文 each recipient organisation got of them, and paper
 * 收文 registered by the offices (about 6,000 incoming), handled or waiting, some of them overdue.
 * Built with the flow engine itself (flows.ts), so every state is one the service could reach.
 * Fictional titles; deterministic for a given day.
 */
import { CITY_ORG_ID } from "../../shared/auth";
import { WorkCalendar, addDays } from "../../shared/calendar";
import type { DocKind, DocType, Distribution, Urgency } from "../../shared/contracts/documents";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import { int, mulberry32, pick, weighted, type Rng } from "../../shared/random";
import { localDate } from "../../shared/time";
import type { CounterDoc, DocDoc, NumberDoc } from "./data/models";
import { dueDate } from "./deadlines";
import { act, defaultFlow, enterStep, type FlowState, type Resolved } from "./flows";
import { formatNumber, numberPrefix, orgPrefix, sequenceKey } from "./numbering";

export interface DemoInput {
  now: Date;
  orgs: { id: string; name: string; shortName: string }[];
  divisions: { id: string; orgId: string; kind: string; name: string }[];
  staff: DirectoryEntry[];
}

const TOPICS = [
  "预算执行",
  "国库集中支付",
  "政府采购",
  "债务风险防控",
  "惠民惠农资金",
  "资产清查",
  "会计监督",
  "绩效评价",
  "非税收入",
  "乡村振兴资金",
  "财政票据",
  "内部控制",
];
const TEMPLATES: [DocType, (t: string) => string][] = [
  ["通知", (t) => `关于做好${t}工作的通知`],
  ["通知", (t) => `关于开展${t}专项检查的通知`],
  ["请示", (t) => `关于${t}有关事项的请示`],
  ["报告", (t) => `关于${t}情况的报告`],
  ["函", (t) => `关于商请协助${t}相关工作的函`],
  ["纪要", (t) => `${t}工作推进会议纪要`],
];
const SENDERS = ["河北省财政厅", "张家口市人民政府办公室", "市审计局", "市发展和改革委员会", "市税务局"];
const RESULTS = ["已按要求落实并报送材料", "已组织自查，未发现问题", "已完成资金拨付", "已转相关股室长期跟踪"];

export function generateDocumentsDemo(input: DemoInput): {
  docs: DocDoc[];
  numbers: NumberDoc[];
  counters: CounterDoc[];
} {
  const rng: Rng = mulberry32(20261203);
  const cal = new WorkCalendar();
  const today = localDate(input.now);
  const byId = new Map(input.staff.map((s) => [s.id, s]));
  const heads = new Map(input.staff.filter((s) => s.isDivisionHead).map((s) => [s.divisionId, s.id]));
  const divOf = (orgId: string, kind: string) => input.divisions.find((d) => d.orgId === orgId && d.kind === kind);
  const person = (id: string | undefined): Resolved[] => {
    const s = id ? byId.get(id) : undefined;
    return s ? [{ staffId: s.id, name: s.name, divisionId: s.divisionId, coversFor: null }] : [];
  };
  const headOf = (divisionId: string | undefined) => person(divisionId ? heads.get(divisionId) : undefined);
  const orgName = new Map(input.orgs.map((o) => [o.id, o.name]));
  const seqs = new Map<string, number>();
  const numbers: NumberDoc[] = [];
  const docs: DocDoc[] = [];
  let n = 0;

  /** Runs the flow from its first step until `stopAt` (an index) or its end; each step acts a few hours later. */
  function run(
    doc: DocDoc,
    people: (step: number) => Resolved[],
    stopAt: number,
    start: Date,
    extra: (step: number) => string | null,
  ) {
    let s: FlowState = { steps: doc.steps, step: 0, tasks: [], timeline: doc.timeline };
    let at = start.getTime();
    const iso = () => new Date(at).toISOString();
    for (let i = 0; i < doc.steps.length; i++) {
      const who = people(i);
      if (!who.length) continue;
      s = enterStep(s, i, who, iso(), doc.steps[i].action === "handle" ? doc.handlingDue : null);
      if (i >= stopAt) return { state: s, at, ended: false };
      for (const p of who) {
        at += int(rng, 1, 20) * 3_600_000;
        s = act(
          s,
          p.staffId,
          p.name,
          extra(i),
          i === 0 && doc.kind !== "incoming" ? "submit" : doc.steps[i].action,
          iso(),
        ).state;
      }
    }
    return { state: s, at, ended: true };
  }

  const base = (kind: DocKind, orgId: string, drafter: DirectoryEntry | null, created: Date): DocDoc => {
    const [docType, title] = pick(rng, TEMPLATES);
    const urgency = weighted<Urgency>(rng, [
      ["平件", 80],
      ["加急", 15],
      ["特急", 5],
    ]);
    const flow = defaultFlow(orgId, kind, orgPrefix(orgId, input.orgs.find((o) => o.id === orgId)?.shortName ?? ""));
    return {
      _id: `demo-${kind}-${String(++n).padStart(5, "0")}`,
      kind,
      title: title(pick(rng, TOPICS)),
      docType,
      urgency,
      secrecy: rng() < 0.3 ? "公开" : "内部",
      body: `<p>各有关单位：</p><p>根据工作安排，现就有关事项${docType === "请示" ? "请示如下" : "通知如下"}，请认真贯彻落实。</p>`,
      attachments: [],
      drafterId: drafter?.id ?? "",
      drafterName: drafter?.name ?? "",
      orgId,
      divisionId: drafter?.divisionId ?? "",
      mainTo: orgId === CITY_ORG_ID ? "各县区财政局" : "局属各股室",
      copyTo: "",
      countersignDivisionIds: [],
      handlingDivisionIds: [],
      handlingDue: null,
      stage: "flow",
      steps: flow.steps,
      step: 0,
      tasks: [],
      timeline: [],
      number: null,
      issuing: false,
      issuedAt: null,
      distribution: [],
      source: null,
      senderName: orgName.get(orgId) ?? orgId,
      result: null,
      published: false,
      participants: [],
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      rev: 1,
    };
  };
  const finish = (doc: DocDoc, s: FlowState, at: number): DocDoc => {
    const participants = new Set<string>([doc.drafterId, ...s.tasks.map((t) => t.assigneeId)].filter(Boolean));
    return {
      ...doc,
      steps: s.steps,
      step: s.step,
      tasks: s.tasks,
      timeline: s.timeline,
      participants: [...participants],
      updatedAt: new Date(at).toISOString(),
    };
  };

  /** An incoming document at `orgId`, handled up to a state chosen by its age. */
  function incoming(doc: DocDoc, received: Date): DocDoc {
    const office = divOf(doc.orgId, "office");
    const leadership = divOf(doc.orgId, "leadership");
    const handling = input.divisions.filter((d) => d.orgId === doc.orgId && !["office", "leadership"].includes(d.kind));
    const div = handling.length ? pick(rng, handling) : undefined;
    const from = localDate(received);
    doc.handlingDivisionIds = div ? [div.id] : [];
    doc.handlingDue = dueDate(cal, from, { 平件: 10, 加急: 5, 特急: 2 }[doc.urgency]);
    const old = from < addDays(today, -20);
    const stopAt =
      old || rng() < 0.6
        ? 99
        : weighted(rng, [
            [0, 3],
            [1, 2],
            [2, 2],
            [3, 5],
          ]);
    const people = (i: number) => (i <= 1 ? headOf(office?.id) : i === 2 ? headOf(leadership?.id) : headOf(div?.id));
    const r = run(doc, people, stopAt, received, (i) =>
      i === 1 ? "拟请相关股室办理" : i === 2 ? "同意" : i === 3 ? pick(rng, RESULTS) : null,
    );
    let d = finish(doc, r.state, r.at);
    if (r.ended) {
      const result = r.state.tasks
        .filter((t) => t.step === 3 && t.status === "done")
        .map((t) => t.opinion)
        .join("；");
      d = { ...d, stage: old && rng() < 0.7 ? "archived" : "done", result: result || null };
    }
    return d;
  }

  for (let i = 0; i < 3000; i++) {
    const org = input.orgs[i < 900 ? 0 : 1 + (i % (input.orgs.length - 1))];
    const drafters = input.staff.filter(
      (s) => s.orgId === org.id && !s.isDivisionHead && divOf(org.id, "leadership")?.id !== s.divisionId,
    );
    if (!drafters.length) continue;
    const drafter = pick(rng, drafters);
    const created = new Date(
      input.now.getTime() - Math.floor((i / 3000) * 360 + rng() * 5) * 86_400_000 - 3 * 86_400_000,
    );
    const doc = base("outgoing", org.id, drafter, created);
    const others = input.divisions.filter(
      (d) => d.orgId === org.id && d.id !== drafter.divisionId && !["office", "leadership"].includes(d.kind),
    );
    if (others.length && rng() < 0.5) doc.countersignDivisionIds = [pick(rng, others).id];
    const recent = created.getTime() > input.now.getTime() - 20 * 86_400_000;
    const stopAt =
      !recent || rng() < 0.4
        ? 99
        : weighted(rng, [
            [0, 1],
            [1, 2],
            [2, 2],
            [3, 2],
            [4, 2],
          ]);
    const people = (s: number) =>
      s === 0
        ? person(drafter.id)
        : s === 1
          ? headOf(drafter.divisionId)
          : s === 2
            ? doc.countersignDivisionIds.flatMap(headOf)
            : s === 3
              ? headOf(divOf(org.id, "office")?.id)
              : headOf(divOf(org.id, "leadership")?.id);
    const r = run(doc, people, stopAt, created, (s) => (s === 0 ? null : "同意"));
    let d = finish(doc, r.state, r.at);
    d.stage = stopAt === 0 ? "draft" : "flow";
    if (r.ended) {
      const issued = new Date(r.at + 3_600_000);
      const key = sequenceKey(org.id, d.docType, issued.getUTCFullYear());
      const seq = (seqs.get(key) ?? 0) + 1;
      seqs.set(key, seq);
      const number = formatNumber(
        numberPrefix(orgPrefix(org.id, org.shortName), d.docType),
        issued.getUTCFullYear(),
        seq,
      );
      numbers.push({ _id: `${key}|${seq}`, docId: d._id, number, at: issued });
      const targets =
        org.id === CITY_ORG_ID ? [pick(rng, input.orgs.slice(1)), pick(rng, input.orgs.slice(1))] : [input.orgs[0]];
      const distribution: Distribution[] = [...new Map(targets.map((t) => [t.id, t])).values()].map((t) => ({
        type: "org",
        id: t.id,
        name: t.name,
        incomingId: `in-${d._id}-${t.id}`,
        receivedAt: null,
        receivedBy: null,
        result: null,
        doneAt: null,
      }));
      const officeHead = headOf(divOf(org.id, "office")?.id)[0];
      d = {
        ...d,
        stage: issued.getTime() < input.now.getTime() - 60 * 86_400_000 ? "archived" : "issued",
        number,
        issuedAt: issued.toISOString(),
        published: d.secrecy === "公开",
        distribution,
        participants: [...new Set([...d.participants, ...(officeHead ? [officeHead.staffId] : [])])],
        timeline: [
          ...d.timeline,
          {
            at: issued.toISOString(),
            event: "issue",
            step: "编号",
            staffId: officeHead?.staffId ?? null,
            name: officeHead?.name ?? "",
            opinion: null,
            detail: number,
          },
        ],
      };
      for (const r2 of distribution) {
        const inc = incoming(
          {
            ...base("incoming", r2.id, null, issued),
            _id: r2.incomingId!,
            title: d.title,
            docType: d.docType,
            urgency: d.urgency,
            secrecy: d.secrecy,
            body: d.body,
            number,
            issuedAt: d.issuedAt,
            senderName: org.name,
            drafterName: org.name,
            source: { id: d._id, orgId: org.id, orgName: org.name, number },
          },
          new Date(issued.getTime() + 3_600_000),
        );
        const signed = inc.tasks.find((t) => t.step === 0 && t.status === "done");
        Object.assign(r2, {
          receivedAt: signed?.actedAt ?? null,
          receivedBy: signed?.assigneeName ?? null,
          result: inc.result,
          doneAt: inc.result ? inc.updatedAt : null,
        });
        docs.push(inc);
      }
    }
    docs.push(d);
  }
  // Paper and email 收文 registered by the offices, until there are about 6,000 incoming.
  const target = 6000 - docs.filter((d) => d.kind === "incoming").length;
  for (let i = 0; i < target; i++) {
    const org = input.orgs[i % input.orgs.length];
    const received = new Date(input.now.getTime() - Math.floor(rng() * 360) * 86_400_000 - 86_400_000);
    docs.push(
      incoming(
        {
          ...base("incoming", org.id, null, received),
          senderName: pick(rng, SENDERS),
          drafterName: pick(rng, SENDERS),
        },
        received,
      ),
    );
  }
  const counters = [...seqs].map(([k, last]) => ({ _id: k, last }));
  return { docs, numbers, counters };
}
