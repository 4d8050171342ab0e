// The call as GET /calls/{call_id} answers it, with the loosely typed parts
// (panel, declarations, rubric, ranking) given their shapes.
import type { Schemas } from "../../../api/client";
import type { Criterion, Declaration } from "../../../grants";

export interface PanelSeat {
  member_id: string;
  name: string;
  role: string;
  affiliation: string;
  appointed_on: string;
}

export type CallView = Omit<Schemas["Call"], "panel" | "declarations" | "rubric"> & {
  panel: PanelSeat[];
  declarations: Declaration[];
  rubric: Criterion[];
};

export interface Objection {
  objection_id: string;
  objector: string;
  contact: string;
  application_id: string | null;
  grounds: string;
  lodged_on: string;
  status: string;
  outcome: string | null;
  resolution: string | null;
  resolved_on: string | null;
}

export interface ScoreSheet {
  member_id: string;
  scores: Record<string, number>;
  total: number;
  scored_on: string;
}

export interface Preliminary {
  decision: string;
  reviewer: string;
  reasons: string[];
  reviewed_on: string;
}

export interface Finding {
  topic: string;
  finding: string;
  outcome: string;
  investigator: string;
  found_on: string;
}
