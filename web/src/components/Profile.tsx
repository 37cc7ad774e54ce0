/** A staff member's card: public fields for everyone, personal fields only when the API sends them. */
import { useQuery } from "@tanstack/react-query";
import { Descriptions, Tag, Typography } from "antd";
import { Link } from "react-router";
import { GENDER_LABELS, STAFF_STATUS_LABELS, type Post, type StaffDetail } from "@shared/contracts/personnel";
import { get } from "../lib/api";
import { useLookup } from "../lib/hooks";

export function usePost(s?: StaffDetail) {
  return useQuery({
    queryKey: ["posts", s?.divisionId],
    enabled: !!s?.postId,
    queryFn: () => get<Post[]>("/api/personnel/posts", { divisionId: s!.divisionId }),
    select: (posts) => posts.find((p) => p.id === s!.postId) ?? null,
    staleTime: 10 * 60_000,
  });
}

export function AbPartner({ s }: { s: StaffDetail }) {
  return (
    <div data-testid="ab-partner">
      <div>
        <span className="mb-muted">我的 B 岗（替我补位）：</span>
        {s.backedUpBy?.person ? (
          <Link to={`/people/${s.backedUpBy.person.staffId}`}>{s.backedUpBy.person.name}</Link>
        ) : (
          <Tag color="orange">未设置</Tag>
        )}
        {s.backedUpBy && <span className="mb-muted">（{s.backedUpBy.postTitle}）</span>}
      </div>
      <div style={{ marginTop: 4 }}>
        <span className="mb-muted">我为其补位（我是 B 岗）：</span>
        {s.backsUp.length === 0 ? (
          <span className="mb-muted">无</span>
        ) : (
          s.backsUp.map((r) => (
            <span key={r.postId} style={{ marginRight: 10 }}>
              {r.person ? <Link to={`/people/${r.person.staffId}`}>{r.person.name}</Link> : "空缺"}
              <span className="mb-muted">（{r.postTitle}）</span>
            </span>
          ))
        )}
      </div>
    </div>
  );
}

export function StaffProfile({ s }: { s: StaffDetail }) {
  const { orgName, divisionName } = useLookup();
  const post = usePost(s);
  return (
    <>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} data-testid="profile">
        <Descriptions.Item label="姓名">{s.name}</Descriptions.Item>
        <Descriptions.Item label="性别">{GENDER_LABELS[s.gender]}</Descriptions.Item>
        <Descriptions.Item label="年龄段">{s.ageBand}</Descriptions.Item>
        <Descriptions.Item label="单位">
          <Link to={`/orgs/${s.orgId}`}>{orgName(s.orgId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="处室">
          <Link to={`/divisions/${s.divisionId}`}>{divisionName(s.divisionId)}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="职务">{s.title}</Descriptions.Item>
        <Descriptions.Item label="学历">{s.education}</Descriptions.Item>
        <Descriptions.Item label="政治面貌">{s.politicalStatus}</Descriptions.Item>
        <Descriptions.Item label="参加工作">{s.hireDate}</Descriptions.Item>
        <Descriptions.Item label="状态">{STAFF_STATUS_LABELS[s.status]}</Descriptions.Item>
        {"phone" in s && (
          <Descriptions.Item label="手机">
            <span data-testid="profile-phone">{s.phone ?? "—"}</span>
          </Descriptions.Item>
        )}
        {"birthDate" in s && (
          <Descriptions.Item label="出生日期">
            {s.birthDate}（{s.age} 岁）
          </Descriptions.Item>
        )}
        <Descriptions.Item label="岗位" span={3}>
          {post.data?.title ?? (s.postId ? "…" : "未定岗")}
        </Descriptions.Item>
        <Descriptions.Item label="岗位职责" span={3}>
          <Typography.Paragraph className="mb-log-body" style={{ margin: 0 }}>
            {post.data?.responsibilities || (s.postId ? "…" : "—")}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label="AB 岗" span={3}>
          <AbPartner s={s} />
        </Descriptions.Item>
      </Descriptions>
      {!("phone" in s) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          手机号、出生日期等个人信息仅本单位人事管理员和领导可见。
        </Typography.Text>
      )}
    </>
  );
}
