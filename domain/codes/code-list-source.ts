/**
 * Which year's (or version's) list a statutory code list is, and where it comes from. Every code
 * list in domain/codes/ names one beside it, so a label can always be traced to the list it was
 * read from: a figure checked against the DfE's own tables must say which table.
 */
export interface CodeListSource {
  /**
   * The collection year the list is of: "2025-26" for the 903 (April to March), "2025/26" for
   * lists of the school census and registers (academic years).
   */
  collectionYear: string;
  /** The first day the list (as held here) applies, when the source gives one. */
  inForceFrom?: string;
  /** The document or data set the codes and their meanings are taken from. */
  source: string;
}
