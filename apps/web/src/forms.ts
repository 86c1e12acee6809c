/** The GraphQL the console sends, in one place: the form as the paper 自评表 shows it. */
export const FORM_FIELDS = `
  id version state year submittedAt createdAt
  department { code name } district { code name }
  functions goals { planned achieved } independentAccountingUnits
  funding { unit weight lines { id source budget executed upperTransfer initialBudget executionRatePercent } }
  indicators {
    id level1 level2 level3 content target actual weight score polarity qualitativeLevel shortfallReason improvement
    suggestion { score path derivation bandMin bandMax }
  }
  score { fundingScore indicatorTotal total adjustedTotal finalTotal grade executionRatePercent }
  validation { errors { code message path rowId } warnings { code message path rowId } }
  review { returnComment returnedAt approvalComment approvedAt adjustmentReason }
`;

export interface Issue {
  code: string;
  message: string;
  path: string;
  rowId: string | null;
}

export interface FundingLine {
  id: string;
  source: string;
  budget: string;
  executed: string;
  upperTransfer: string;
  initialBudget: string | null;
  executionRatePercent: string | null;
}

export interface Indicator {
  id: string;
  level1: string;
  level2: string;
  level3: string;
  content: string;
  target: string;
  actual: string;
  weight: string;
  score: string | null;
  polarity: string | null;
  qualitativeLevel: string | null;
  shortfallReason: string;
  improvement: string;
  suggestion: {
    score: string | null;
    path: string;
    derivation: string;
    bandMin: string | null;
    bandMax: string | null;
  };
}

export interface Form {
  id: string;
  version: number;
  state: 'DRAFT' | 'SUBMITTED' | 'RETURNED' | 'APPROVED';
  year: number;
  submittedAt: string | null;
  createdAt: string;
  department: { code: string; name: string };
  district: { code: string; name: string };
  functions: string;
  goals: { planned: string; achieved: string };
  independentAccountingUnits: number;
  funding: { unit: string; weight: string; lines: FundingLine[] };
  indicators: Indicator[];
  score: {
    fundingScore: string | null;
    indicatorTotal: string;
    total: string | null;
    adjustedTotal: string | null;
    finalTotal: string | null;
    grade: string | null;
    executionRatePercent: string | null;
  };
  validation: { errors: Issue[]; warnings: Issue[] };
  review: {
    returnComment: string | null;
    returnedAt: string | null;
    approvalComment: string | null;
    approvedAt: string | null;
    adjustmentReason: string | null;
  };
}

export interface FieldChange {
  path: string;
  before: string | null;
  after: string | null;
}
