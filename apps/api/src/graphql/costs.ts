/**
 * What a field costs against the query cost limit (5,000) beyond its selection, for fields whose work is
 * not in what they return: a field is otherwise 1 plus its children, and a page `first` × its children.
 * Chosen so that a request can still ask each of them once beside a full form, but 50 aliases of one
 * cannot make the service fold, hash or parse for seconds.
 */
export const COSTS = {
  /** folds a form's whole stream (a past version) or reads a stored report of up to ~1 MB */
  foldOrReport: 250,
  /** folds a stream twice (a diff) or hashes every event of it (the integrity check) */
  twoFoldsOrHashes: 500,
  /** queues a report job that reads every form of a district */
  reportJob: 1000,
  /** an unpaged registry list: up to the district's (or every) department */
  registryList: 100,
} as const;

/** `cost` plus the field's own selection. */
export const costs =
  (cost: number) =>
  ({ childComplexity }: { childComplexity: number }): number =>
    cost + childComplexity;
