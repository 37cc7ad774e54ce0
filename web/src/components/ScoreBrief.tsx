/** A person's indicators and score breakdown in brief, for My page and a person's page. */
import { Link } from "react-router";
import { today } from "../lib/hooks";
import { ItemsTable, ScoreSummary, useBreakdown } from "../pages/assessment/Breakdown";
import { ErrorState, Loading } from "./States";

export function ScoreBrief({ staffId }: { staffId: string }) {
  const year = Number(today().slice(0, 4));
  const q = useBreakdown(staffId, year);
  if (q.isLoading) return <Loading rows={3} />;
  if (q.isError) return <ErrorState error={q.error} />;
  return (
    <div data-testid="score-brief">
      <ScoreSummary b={q.data!} />
      <div style={{ marginTop: 8 }}>
        <ItemsTable items={q.data!.items} />
      </div>
      <div style={{ marginTop: 8 }}>
        <Link to={`/assessment?tab=mine&staffId=${staffId}`}>查看指标明细</Link>
      </div>
    </div>
  );
}
